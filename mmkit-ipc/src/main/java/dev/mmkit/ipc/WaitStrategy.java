package dev.mmkit.ipc;

import java.time.Duration;

/**
 * WaitStrategy says how a blocking call ({@code send} on a full ring, {@code receive} on an empty
 * one) waits: burning a core for the lowest latency, backing off, or sleeping in the kernel.
 *
 * <ul>
 *   <li>{@link #busySpin()}: polls without pause. Lowest latency (a round trip well under a
 *       microsecond), one full core per waiting thread.
 *   <li>{@link #backoff()}: spins, then yields, then parks for growing intervals up to a limit.
 *       Latency grows with idleness up to the limit; CPU use falls to a few wake-ups per limit.
 *   <li>{@link #blocking()}: spins briefly, then sleeps on a futex in the channel header. The other
 *       side issues the wake-up system call only when it sees a sleeper flagged there, so a busy
 *       channel pays no system calls, and an idle waiter uses no CPU. A receive's spin phase is the
 *       busy-spin loop itself, so while messages keep coming it reacts as fast as busy-spin.
 * </ul>
 *
 * <p>Every wait has a deadline, and a sleeper wakes at least every {@link
 * ChannelOptions#livenessInterval()} to check that its peers are alive, so a dead peer never hangs
 * the other side.
 */
public final class WaitStrategy {
  /** The kinds of waiting. */
  public enum Kind {
    /** Poll without pause. */
    BUSY_SPIN,
    /** Spin, yield, then park for growing intervals. */
    BACKOFF,
    /** Spin, then sleep on a futex until woken. */
    BLOCKING
  }

  private final Kind kind;
  private final int spins;
  private final int yields;
  private final long maxParkNanos;

  private WaitStrategy(Kind kind, int spins, int yields, long maxParkNanos) {
    if (spins < 0 || yields < 0 || maxParkNanos <= 0) {
      throw new IllegalArgumentException(
          "bad wait strategy: spins=" + spins + ", yields=" + yields + ", maxPark=" + maxParkNanos);
    }
    this.kind = kind;
    this.spins = spins;
    this.yields = yields;
    this.maxParkNanos = maxParkNanos;
  }

  /** Returns the strategy that polls without pause. */
  public static WaitStrategy busySpin() {
    return new WaitStrategy(Kind.BUSY_SPIN, Integer.MAX_VALUE, 0, 1);
  }

  /** Returns a backoff strategy: 100 spins, 10 yields, then parks growing from 1 us to 1 ms. */
  public static WaitStrategy backoff() {
    return backoff(100, 10, Duration.ofMillis(1));
  }

  /** Returns a backoff strategy with the given spins, yields and longest park. */
  public static WaitStrategy backoff(int spins, int yields, Duration maxPark) {
    return new WaitStrategy(Kind.BACKOFF, spins, yields, maxPark.toNanos());
  }

  /** Returns the blocking strategy: 5,000 spins (tens of microseconds), then a futex sleep. */
  public static WaitStrategy blocking() {
    return blocking(5_000);
  }

  /** Returns the blocking strategy with {@code spins} polls before the futex sleep. */
  public static WaitStrategy blocking(int spins) {
    return new WaitStrategy(Kind.BLOCKING, spins, 0, 1);
  }

  /** Returns the kind of waiting. */
  public Kind kind() {
    return kind;
  }

  /** Returns how many times the waiter polls before it yields, parks or sleeps. */
  public int spins() {
    return spins;
  }

  /** Returns how many times a backoff waiter yields before it parks. */
  public int yields() {
    return yields;
  }

  /** Returns the longest park of a backoff waiter, in nanoseconds. */
  public long maxParkNanos() {
    return maxParkNanos;
  }

  @Override
  public String toString() {
    return switch (kind) {
      case BUSY_SPIN -> "busy-spin";
      case BACKOFF ->
          "backoff(spins=" + spins + ", yields=" + yields + ", maxPark=" + maxParkNanos + "ns)";
      case BLOCKING -> "blocking(spins=" + spins + ")";
    };
  }
}
