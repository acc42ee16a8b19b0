package dev.mmkit.ipc.internal;

import dev.mmkit.core.Futex;
import dev.mmkit.ipc.WaitStrategy;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Idler carries out a {@link WaitStrategy} for one waiting side of a channel. A blocking waiter
 * announces itself in a sleeper count in the header (a full fence), rechecks its condition, and
 * sleeps on a futex word that the other side bumps before waking it. The other side reads the count
 * right after publishing, without a full fence between: a fence there would cost hundreds of
 * nanoseconds per message against a busy reader, more than the rest of a send. So in a narrow race
 * the other side can read the count just before the sleeper's announcement became visible while the
 * sleeper rechecked just before the new state became visible, and the wake-up is missed. Both
 * stores become visible within microseconds, so the first sleep of every wait lasts at most {@link
 * #FIRST_SLEEP_NANOS}: the recheck after it sees the new state, and later sleeps are announced long
 * before anyone reads the count. A missed wake-up thus costs at most one millisecond, rarely,
 * instead of a fence on every message.
 */
final class Idler {
  private static final long MIN_PARK_NANOS = 1_000;

  /**
   * Longest sleep when nothing needs watching. Every timed wake-up costs a fraction of a
   * millisecond of CPU on a small virtual machine, so an idle waiter wakes rarely.
   */
  static final long QUIET_SLEEP_NANOS = 1_000_000_000L;

  /** Longest first sleep of a wait; it bounds the delay of a missed wake-up (see above). */
  static final long FIRST_SLEEP_NANOS = 1_000_000L;

  private final ChannelFile file;
  private final WaitStrategy strategy;
  private final long signalOffset;
  private final long sleepersOffset;
  private final long maxSleepNanos;
  private final BooleanSupplier quiet;
  private int iteration;
  private boolean slept;

  Idler(ChannelFile file, WaitStrategy strategy, long signalOffset, long sleepersOffset) {
    this(file, strategy, signalOffset, sleepersOffset, () -> false);
  }

  /**
   * Creates an idler whose sleeps may last up to {@link #QUIET_SLEEP_NANOS} instead of the liveness
   * interval while {@code quiet} says that there is nothing whose liveness needs watching.
   */
  Idler(
      ChannelFile file,
      WaitStrategy strategy,
      long signalOffset,
      long sleepersOffset,
      BooleanSupplier quiet) {
    this.quiet = quiet;
    this.file = file;
    this.strategy = strategy;
    this.signalOffset = signalOffset;
    this.sleepersOffset = sleepersOffset;
    this.maxSleepNanos = file.options().livenessInterval().toNanos();
  }

  /** Returns whether the strategy only ever spins. */
  boolean busySpin() {
    return strategy.kind() == WaitStrategy.Kind.BUSY_SPIN;
  }

  /**
   * Returns how many spins the strategy makes before it yields, parks or sleeps: none for a
   * strategy that only ever spins, which never ends its spin phase.
   */
  long spinPhase() {
    return busySpin() ? Long.MAX_VALUE : strategy.spins();
  }

  /** Makes the current wait go on past its spin phase, which the caller has spun itself. */
  void skipSpinPhase() {
    iteration = strategy.spins();
  }

  /** Starts a new wait. */
  void reset() {
    iteration = 0;
    slept = false;
  }

  /**
   * Waits once, a little longer each time, never past {@code deadlineNanos}. A blocking sleep lasts
   * at most the liveness interval, or {@link #QUIET_SLEEP_NANOS} while nothing needs watching, and
   * the first sleep of a wait at most {@link #FIRST_SLEEP_NANOS}. {@code ready} is the caller's
   * condition, rechecked before sleeping.
   */
  void idle(BooleanSupplier ready, long deadlineNanos) {
    int spins = strategy.spins();
    switch (strategy.kind()) {
      case BUSY_SPIN -> Thread.onSpinWait();
      case BACKOFF -> {
        if (iteration < spins) {
          Thread.onSpinWait();
        } else if (iteration < spins + strategy.yields()) {
          Thread.yield();
        } else {
          int doublings = Math.min(iteration - spins - strategy.yields(), 20);
          long park = Math.min(strategy.maxParkNanos(), MIN_PARK_NANOS << doublings);
          LockSupport.parkNanos(Math.min(park, Math.max(deadlineNanos - System.nanoTime(), 1)));
        }
      }
      case BLOCKING -> {
        if (iteration < spins) {
          Thread.onSpinWait();
        } else {
          sleep(ready, deadlineNanos);
        }
      }
      default -> throw new AssertionError(strategy);
    }
    if (iteration < Integer.MAX_VALUE) {
      iteration++;
    }
  }

  private void sleep(BooleanSupplier ready, long deadlineNanos) {
    file.addInt(sleepersOffset, 1);
    try {
      int seen = file.getInt(signalOffset);
      if (ready.getAsBoolean()) {
        return;
      }
      long cap = quiet.getAsBoolean() ? QUIET_SLEEP_NANOS : maxSleepNanos;
      if (!slept) {
        cap = Math.min(cap, FIRST_SLEEP_NANOS);
        slept = true;
      }
      long left = Math.min(deadlineNanos - System.nanoTime(), cap);
      if (left > 0) {
        ChannelSleepEvent event = new ChannelSleepEvent();
        event.begin();
        Futex.await(file.mapping(), signalOffset, seen, Duration.ofNanos(left));
        event.end();
        if (event.shouldCommit()) {
          event.channel = file.path().toString();
          event.woken = file.getInt(signalOffset) != seen;
          event.commit();
        }
      }
    } finally {
      file.addInt(sleepersOffset, -1);
    }
  }
}
