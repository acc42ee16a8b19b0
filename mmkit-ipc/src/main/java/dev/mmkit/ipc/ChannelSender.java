package dev.mmkit.ipc;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;

/**
 * ChannelSender is a producer attached to a {@link OneToOneChannel} or {@link ManyToOneChannel}.
 * One sender must be used by one thread at a time.
 *
 * <p>Three ways to send:
 *
 * <ul>
 *   <li>{@link #offer}: copies the message in if there is room now, otherwise returns false
 *       (back-pressure). Never waits.
 *   <li>{@link #send}: waits for room as the channel's {@link WaitStrategy} says, at most the
 *       timeout.
 *   <li>{@link #tryClaim}, then write into {@link #buffer()}, then {@link #commit} or {@link
 *       #abort}: zero copy. Between claim and commit the record is visible to the consumer as
 *       claimed by this process; if this process dies there, the consumer skips it and counts it.
 * </ul>
 *
 * <p>Messages up to {@link #maxRecordPayload()} bytes go as one record. Longer ones, up to {@link
 * #maxMessageLength()}, are split into fragments that the receiver reassembles; {@link #offer}
 * sends them only when the whole message fits at once, {@link #send} streams them as room frees up.
 *
 * <p>When the ring is full and the consumer recorded in the header is dead, {@link #offer} and
 * {@link #send} throw {@link NoConsumerException} instead of waiting forever. A consumer that
 * closed its receiver is not dead: messages wait for the next one. {@link #consumerState()} tells
 * which of these holds.
 */
public interface ChannelSender extends AutoCloseable {

  /** What {@link #tryClaim} returns when the ring has no room. */
  long FULL = -1;

  /**
   * Sends {@code message} if there is room now; returns false when the ring is full.
   *
   * @throws MessageTooLongException when the message can never be sent with {@code offer}
   * @throws NoConsumerException when the ring is full and its consumer is dead
   */
  boolean offer(MemorySegment message);

  /** Sends {@code length} bytes of {@code message} from {@code offset}; see {@link #offer}. */
  boolean offer(byte[] message, int offset, int length);

  /**
   * Sends {@code message}, waiting for room at most {@code timeout}.
   *
   * @throws dev.mmkit.core.TimedOutException when the ring stayed full for the whole timeout;
   *     fragments already sent of a long message are dropped by the receiver
   * @throws NoConsumerException when the ring is full and its consumer is dead
   * @throws MessageTooLongException when the message is longer than {@link #maxMessageLength()}
   */
  void send(MemorySegment message, Duration timeout);

  /**
   * Claims room for a message of {@code length} bytes (at most {@link #maxRecordPayload()}) and
   * returns the offset in {@link #buffer()} where its bytes go, or {@link #FULL}. Exactly one of
   * {@link #commit} or {@link #abort} must follow before the next claim or send.
   */
  long tryClaim(int length);

  /**
   * Returns the ring's memory, for writing claimed messages. The view is valid until this sender is
   * closed; write only inside a claimed range, before committing it.
   */
  MemorySegment buffer();

  /** Publishes the claimed message at {@code offset}. */
  void commit(long offset);

  /** Gives up the claim at {@code offset}; the consumer skips it silently. */
  void abort(long offset);

  /**
   * Returns what the channel header says about the consumer: none attached yet, attached, closed,
   * or dead without closing. Reads {@code /proc}: not for hot paths.
   */
  ConsumerState consumerState();

  /** Returns the longest message that travels as one record (and the longest claim). */
  int maxRecordPayload();

  /** Returns the longest message the channel carries, reassembled from fragments. */
  int maxMessageLength();

  /** Returns the channel file. */
  Path path();

  /** Detaches from the channel (aborting an open claim) and unmaps it. Idempotent. */
  @Override
  void close();
}
