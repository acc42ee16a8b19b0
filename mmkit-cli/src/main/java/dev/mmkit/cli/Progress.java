package dev.mmkit.cli;

import dev.mmkit.harness.StepListener;
import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress shows a progress bar on standard error when a person is watching a terminal, and nothing
 * otherwise (pipes, files, tests). Verbs that do long work start one and close it when done; the
 * benchmark harness reports its steps to it as a {@link StepListener}.
 */
public final class Progress implements AutoCloseable, StepListener {
  private final ProgressBar bar;

  private Progress(ProgressBar bar) {
    this.bar = bar;
  }

  /** Returns whether standard input and output are a terminal. */
  public static boolean onTerminal() {
    return System.console() != null && System.console().isTerminal();
  }

  /**
   * Starts a bar of {@code max} units ({@code -1} when unknown) on standard error, shown only on a
   * terminal.
   */
  public static Progress start(String task, long max, String unit) {
    return start(task, max, unit, onTerminal(), System.err);
  }

  /**
   * Starts a bar of {@code max} units ({@code -1} when unknown) on {@code err}, or a silent one
   * when {@code visible} is false. Counts are in {@code unit}, which the bar shows after them.
   */
  public static Progress start(
      String task, long max, String unit, boolean visible, PrintStream err) {
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
    builder.setUnit(" " + unit, 1);
    return new Progress(builder.build());
  }

  /** Advances the bar by {@code n} units. */
  @Override
  public void stepBy(long n) {
    if (bar != null) {
      bar.stepBy(n);
    }
  }

  /** Moves the bar to {@code n} units done. */
  public void stepTo(long n) {
    if (bar != null) {
      bar.stepTo(n);
    }
  }

  /** Shows what is being done now, after the bar. */
  @Override
  public void say(String message) {
    if (bar != null) {
      bar.setExtraMessage(message);
    }
  }

  /** Stops the bar. */
  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    }
  }
}
