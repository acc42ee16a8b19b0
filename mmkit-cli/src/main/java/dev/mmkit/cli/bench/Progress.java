package dev.mmkit.cli.bench;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress shows a progress bar on standard error when a person is watching a terminal, and nothing
 * otherwise (pipes, files, tests).
 */
final class Progress implements AutoCloseable {
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** Returns whether standard input and output are a terminal. */
  static boolean onTerminal() {
    return System.console() != null && System.console().isTerminal();
  }

  /** Starts a bar of {@code max} units, or a silent one when {@code visible} is false. */
  static Progress start(String task, long max, String unit, boolean visible, PrintStream err) {
    if (!visible) {
      return new Progress(null);
    }
    ProgressBarBuilder builder =
        new ProgressBarBuilder()
            .setTaskName(task)
            .setInitialMax(max)
            .setStyle(ProgressBarStyle.ASCII)
            .setUpdateIntervalMillis(500)
            .setConsumer(new ConsoleProgressBarConsumer(err))
            .showSpeed();
    if (unit.equals("MiB")) {
      builder.setUnit(" MiB", 1 << 20);
    }
    return new Progress(builder.build());
  }

  /** Advances the bar by {@code n} units. */
  void stepBy(long n) {
    if (bar != null) {
      bar.stepBy(n);
    }
  }

  /** Shows what is being done now, after the bar. */
  void say(String message) {
    if (bar != null) {
      bar.setExtraMessage(message);
    }
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
