package dev.mmkit.ipc;

import java.nio.file.Path;
import java.time.Duration;

/**
 * ChannelReceiver is the consumer attached to a {@link OneToOneChannel} or {@link
 * ManyToOneChannel}. A channel has at most one live consumer; one receiver must be used by one
 * thread at a time.
 *
 * <p>Messages arrive in the order they were committed; messages of one producer in the order it
 * sent them. The consumer position lives in the channel header, so a receiver that replaces a dead
 * one continues with the first message the dead one had not finished handling.
 *
 * <p>A record claimed by a producer that died before committing it is skipped and counted in {@link
 * #skippedClaims()}; a fragmented message cut short the same way is dropped and counted in {@link
 * #droppedMessages()}. Everything committed before the death is delivered exactly once.
 */
public interface ChannelReceiver extends AutoCloseable {

  /**
   * Hands up to {@code limit} waiting messages to {@code handler} and returns how many; 0 when none
   * is waiting. Never waits. If the handler throws, the message it was given counts as consumed and
   * the exception propagates.
   *
   * @throws dev.mmkit.core.CorruptException when the ring holds a record that cannot be valid
   * @throws dev.mmkit.core.TruncatedException when the channel file was shrunk under the mapping
   */
  int poll(MessageHandler handler, int limit);

  /**
   * Like {@link #poll}, but waits as the channel's {@link WaitStrategy} says, at most {@code
   * timeout}, for the first message; returns 0 when none came in time.
   */
  int receive(MessageHandler handler, int limit, Duration timeout);

  /** Returns how many claimed records were skipped because their producer died. */
  long skippedClaims();

  /** Returns how many fragmented messages were dropped because they were cut short. */
  long droppedMessages();

  /** Returns how many producers are attached and alive (reads {@code /proc}: not for hot paths). */
  int liveProducers();

  /** Returns how many times a producer has attached to this channel since it was created. */
  long producerAttachCount();

  /** Returns whether a committed message is waiting at the consumer position. */
  boolean hasMessage();

  /** Returns the channel file. */
  Path path();

  /** Detaches from the channel and unmaps it. Idempotent. */
  @Override
  void close();
}
