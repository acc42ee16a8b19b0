package dev.mmkit.harness.ipc;

import java.io.IOException;
import java.time.Duration;

/**
 * SpinWait is the waiting of a busy-spinning transport: {@link Thread#onSpinWait()} on every spin,
 * and every 16,384th spin a look at the clock, so that a wait that outlasts the transport's
 * patience fails instead of spinning forever. The clock is not read on the spins in between, so an
 * arrival is seen as soon as without the check. One instance serves one thread.
 */
final class SpinWait {
  private static final int CHECK_EVERY = 1 << 14;

  private final long patienceNanos;
  private final String what;
  private long spins;
  private long deadline;

  /** Creates the waiting of {@code what} (for the message), giving up after {@code patience}. */
  SpinWait(Duration patience, String what) {
    this.patienceNanos = patience.toNanos();
    this.what = what;
  }

  /** Starts a new wait. */
  void begin() {
    spins = 0;
  }

  /**
   * Spins once.
   *
   * @throws IOException once the wait has lasted longer than the patience
   */
  void spin() throws IOException {
    if (++spins % CHECK_EVERY == 0) {
      long now = System.nanoTime();
      if (spins == CHECK_EVERY) {
        deadline = now + patienceNanos;
      } else if (now - deadline > 0) {
        throw new IOException(
            "no message: transport=" + what + ", waitedSeconds=" + patienceNanos / 1_000_000_000L);
      }
    }
    Thread.onSpinWait();
  }
}
