package dev.mmkit.core;

import java.io.Serial;

/**
 * TimedOutException reports that a wait with a deadline (a lock, a futex, a channel send or
 * receive) ended before its condition held. The state guarded by the wait is unchanged.
 */
public class TimedOutException extends MmkitException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, in {@code key=value} form
   */
  public TimedOutException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure that caused it.
   *
   * @param message what failed, in {@code key=value} form
   * @param cause the underlying failure
   */
  public TimedOutException(String message, Throwable cause) {
    super(message, cause);
  }
}
