package dev.mmkit.core;

import java.io.Serial;

/**
 * FullException reports that a resource the operation needs is exhausted: disk space while a file
 * grows, a limit such as {@code RLIMIT_MEMLOCK}, or a fixed capacity. Nothing was changed by the
 * failed call; freeing the resource and retrying may succeed.
 */
public class FullException extends MmkitException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, in {@code key=value} form
   */
  public FullException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure that caused it.
   *
   * @param message what failed, in {@code key=value} form
   * @param cause the underlying failure
   */
  public FullException(String message, Throwable cause) {
    super(message, cause);
  }
}
