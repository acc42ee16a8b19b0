package dev.mmkit.ipc;

import java.lang.foreign.MemorySegment;

/** MessageHandler receives the messages a receiver polls, one call per message. */
@FunctionalInterface
public interface MessageHandler {

  /**
   * Handles one message. {@code message} is a read-only view of exactly the message's bytes, in the
   * ring itself when the message came as one record (zero copy) or in the receiver's reassembly
   * buffer when it came in fragments. The view is valid only until this call returns: the ring
   * space is handed back to producers right after, so copy what you keep. Reading it later reads
   * someone else's message or fails.
   */
  void onMessage(MemorySegment message);
}
