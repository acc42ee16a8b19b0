package dev.mmkit.raft;

import java.io.Serial;

/**
 * WireFormatException reports bytes that are not a request or reply of the wire format: a wrong
 * version, an unknown kind, a length past the end of the message or a trailing byte.
 */
public class WireFormatException extends ClusterException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, in {@code key=value} form
   */
  public WireFormatException(String message) {
    super(message);
  }
}
