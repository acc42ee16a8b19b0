package dev.mmkit.raft;

import java.io.Serial;

/**
 * RequestTooLargeException reports a request whose encoded size passes the limit of the client or
 * of the members. Nothing was written.
 */
public class RequestTooLargeException extends ClusterException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, in {@code key=value} form
   */
  public RequestTooLargeException(String message) {
    super(message);
  }
}
