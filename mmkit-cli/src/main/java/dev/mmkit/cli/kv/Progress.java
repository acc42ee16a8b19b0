package dev.mmkit.cli.kv;

import java.io.PrintStream;

/**
 * Progress shows how long work is going, on standard error and only when it is a terminal: one line
 * rewritten at most a few times a second, erased at the end.
 */
final class Progress {
  private static final long INTERVAL_NANOS = 250_000_000L;

  private final String what;
  private final boolean enabled = System.console() != null;
  private final PrintStream err = System.err;
  private long last = System.nanoTime();
  private boolean shown;

  Progress(String what) {
    this.what = what;
  }

  /** Reports {@code done} units so far (of {@code total}, or -1 when unknown). */
  void update(long done, long total) {
    if (!enabled) {
      return;
    }
    long now = System.nanoTime();
    if (now - last < INTERVAL_NANOS) {
      return;
    }
    last = now;
    shown = true;
    if (total > 0) {
      err.printf("\r%s %,d / %,d (%d%%)   ", what, done, total, done * 100 / total);
    } else {
      err.printf("\r%s %,d   ", what, done);
    }
    err.flush();
  }

  /** Erases the progress line. */
  void done() {
    if (shown) {
      err.print("\r" + " ".repeat(60) + "\r");
      err.flush();
    }
  }
}
