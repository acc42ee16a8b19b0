package dev.mmkit.ipc;

import java.time.Duration;

/**
 * ChannelOptions configures a channel. Capacity and maximum message length are fixed by whoever
 * creates the channel file and stored in its header; a process that attaches later uses the
 * header's values and ignores its own. The other options are per process.
 *
 * @param capacity ring size in bytes, a power of two from 4 KiB to 1 GiB; messages up to {@code
 *     capacity / 8 - 16} bytes travel as one record, longer ones in fragments
 * @param maxMessageLength the longest message, reassembled from fragments, that the channel
 *     carries; longer ones fail with {@link MessageTooLongException}
 * @param waitStrategy how {@code send} and {@code receive} wait
 * @param livenessInterval how often a waiting side checks that its peers are alive
 * @param claimTimeout how long the consumer waits for a claimed record whose producer is still
 *     alive before skipping it; {@link Duration#ZERO} (the default) never skips a live producer's
 *     claim. Only for producers whose liveness cannot be seen (another PID namespace): a producer
 *     that commits after its claim was skipped writes into space given to others.
 */
public record ChannelOptions(
    long capacity,
    int maxMessageLength,
    WaitStrategy waitStrategy,
    Duration livenessInterval,
    Duration claimTimeout) {

  /** Default ring capacity: 1 MiB. */
  public static final long DEFAULT_CAPACITY = 1L << 20;

  /** Default maximum message length: 16 MiB. */
  public static final int DEFAULT_MAX_MESSAGE_LENGTH = 16 << 20;

  /** Validates the options. */
  public ChannelOptions {
    if (capacity < ChannelLayout.MIN_CAPACITY
        || capacity > ChannelLayout.MAX_CAPACITY
        || Long.bitCount(capacity) != 1) {
      throw new IllegalArgumentException(
          "capacity must be a power of two from "
              + ChannelLayout.MIN_CAPACITY
              + " to "
              + ChannelLayout.MAX_CAPACITY
              + ": capacity="
              + capacity);
    }
    if (maxMessageLength < 0 || maxMessageLength > ChannelLayout.MAX_MESSAGE_LIMIT) {
      throw new IllegalArgumentException(
          "maxMessageLength out of range: maxMessageLength="
              + maxMessageLength
              + ", limit="
              + ChannelLayout.MAX_MESSAGE_LIMIT);
    }
    if (waitStrategy == null || livenessInterval == null || claimTimeout == null) {
      throw new IllegalArgumentException("null option");
    }
    if (livenessInterval.isNegative() || livenessInterval.isZero() || claimTimeout.isNegative()) {
      throw new IllegalArgumentException(
          "bad durations: livenessInterval=" + livenessInterval + ", claimTimeout=" + claimTimeout);
    }
  }

  /**
   * Returns the defaults: 1 MiB ring, 16 MiB messages, blocking wait, liveness checked every 100
   * ms, live producers' claims never skipped.
   */
  public static ChannelOptions defaults() {
    return new ChannelOptions(
        DEFAULT_CAPACITY,
        DEFAULT_MAX_MESSAGE_LENGTH,
        WaitStrategy.blocking(),
        Duration.ofMillis(100),
        Duration.ZERO);
  }

  /** Returns these options with another ring capacity. */
  public ChannelOptions withCapacity(long newCapacity) {
    return new ChannelOptions(
        newCapacity, maxMessageLength, waitStrategy, livenessInterval, claimTimeout);
  }

  /** Returns these options with another maximum message length. */
  public ChannelOptions withMaxMessageLength(int length) {
    return new ChannelOptions(capacity, length, waitStrategy, livenessInterval, claimTimeout);
  }

  /** Returns these options with another wait strategy. */
  public ChannelOptions withWaitStrategy(WaitStrategy strategy) {
    return new ChannelOptions(capacity, maxMessageLength, strategy, livenessInterval, claimTimeout);
  }

  /** Returns these options with another liveness check interval. */
  public ChannelOptions withLivenessInterval(Duration interval) {
    return new ChannelOptions(capacity, maxMessageLength, waitStrategy, interval, claimTimeout);
  }

  /** Returns these options with another claim timeout. */
  public ChannelOptions withClaimTimeout(Duration timeout) {
    return new ChannelOptions(capacity, maxMessageLength, waitStrategy, livenessInterval, timeout);
  }
}
