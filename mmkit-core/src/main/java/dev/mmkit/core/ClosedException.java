package dev.mmkit.core;

import java.io.Serial;

/**
 * ClosedException reports use of a mapping, file, channel, database, transaction or view after it
 * was closed or ended. Nothing was read or written by the failed call.
 */
public class ClosedException extends MmkitException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, in {@code key=value} form
   */
  public ClosedException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure that caused it.
   *
   * @param message what failed, in {@code key=value} form
   * @param cause the underlying failure
   */
  public ClosedException(String message, Throwable cause) {
    super(message, cause);
  }
}
