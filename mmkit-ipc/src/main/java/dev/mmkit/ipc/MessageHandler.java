package dev.mmkit.ipc;

import java.lang.foreign.MemorySegment;

/**
 * MessageHandler receives the messages a receiver polls, one call per message.
 *
 * <p>Receivers call {@link #onMessage(MemorySegment, long, long)}, which by default cuts the
 * message out as a slice and calls {@link #onMessage(MemorySegment)}. A slice is a small object
 * (about 40 bytes per message) that the JIT does not always optimise away; handlers on a hot path
 * override the three-argument method instead and read the message in place, allocating nothing.
 */
@FunctionalInterface
public interface MessageHandler {

  /**
   * Handles one message. {@code message} is a read-only view of exactly the message's bytes, in the
   * ring itself when the message came as one record (zero copy) or in the receiver's buffer when it
   * came in fragments or by broadcast. The view is valid only until this call returns: the ring
   * space is handed back to producers right after, so copy what you keep. Reading it later reads
   * someone else's message or fails.
   */
  void onMessage(MemorySegment message);

  /**
   * Handles the message of {@code length} bytes at {@code offset} of {@code buffer}, a read-only
   * view of the ring (or of the receiver's buffer) that is valid, like the message, only until this
   * call returns. The default slices it and calls {@link #onMessage(MemorySegment)}.
   */
  default void onMessage(MemorySegment buffer, long offset, long length) {
    onMessage(buffer.asSlice(offset, length));
  }
}
