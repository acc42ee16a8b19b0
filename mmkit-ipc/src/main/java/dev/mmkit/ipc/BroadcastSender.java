package dev.mmkit.ipc;

import java.lang.foreign.MemorySegment;
import java.nio.file.Path;

/**
 * BroadcastSender is the one transmitter of a {@link OneToManyBroadcast}. It never waits: each
 * message overwrites the oldest ones, and receivers that fall a whole ring behind learn that they
 * were lapped and how many messages they lost. One sender must be used by one thread at a time.
 */
public interface BroadcastSender extends AutoCloseable {

  /**
   * Publishes {@code message} to every receiver.
   *
   * @throws MessageTooLongException when it is longer than {@link #maxMessageLength()}
   */
  void transmit(MemorySegment message);

  /** Publishes {@code length} bytes of {@code message} from {@code offset}. */
  void transmit(byte[] message, int offset, int length);

  /**
   * Returns the longest message: half the ring, or the channel's maximum message length when that
   * is smaller (never less than one record, capacity / 8 - 16 bytes).
   */
  int maxMessageLength();

  /** Returns the channel file. */
  Path path();

  /** Detaches and unmaps. Idempotent. */
  @Override
  void close();
}
