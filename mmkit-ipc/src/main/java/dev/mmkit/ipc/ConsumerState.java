package dev.mmkit.ipc;

/**
 * ConsumerState is what a producer can know about the consumer of its channel, from the consumer
 * token in the channel header ({@link ChannelLayout#CONSUMER_TOKEN_OFFSET}) and, for a recorded
 * process, whether that process still lives.
 */
public enum ConsumerState {
  /** No consumer has attached to the channel yet. */
  NONE,
  /** A live process is attached as the consumer. */
  ATTACHED,
  /**
   * The last consumer closed its receiver. Messages sent now wait in the ring for the next
   * consumer; a full ring makes {@code offer} return false and {@code send} wait, as with a slow
   * consumer.
   */
  CLOSED,
  /**
   * The process recorded as the consumer died without closing its receiver. When the ring is full,
   * {@code offer} and {@code send} throw {@link NoConsumerException}; a new consumer can attach and
   * continue where the dead one stopped.
   */
  DEAD
}
