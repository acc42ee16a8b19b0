package dev.mmkit.ipc;

import dev.mmkit.core.MmkitException;
import java.io.Serial;

/**
 * NoConsumerException tells a producer that the consumer it waits for is dead: the process recorded
 * as the channel's consumer no longer runs, so the ring will not drain. Nothing was sent by the
 * failed call. A new consumer can attach and continue from the first unread message; the producer
 * may then retry.
 */
public class NoConsumerException extends MmkitException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, in {@code key=value} form
   */
  public NoConsumerException(String message) {
    super(message);
  }
}
