package dev.mmkit.ipc;

import dev.mmkit.core.MmkitException;
import java.io.Serial;

/**
 * MessageTooLongException rejects a message longer than the channel can carry: longer than its
 * maximum message length (see {@link ChannelOptions#maxMessageLength()}), or, for calls that need
 * the whole message in the ring at once, longer than the ring can hold. Nothing was sent.
 */
public class MessageTooLongException extends MmkitException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, in {@code key=value} form
   */
  public MessageTooLongException(String message) {
    super(message);
  }
}
