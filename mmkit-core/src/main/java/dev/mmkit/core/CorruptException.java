package dev.mmkit.core;

import java.io.Serial;

/**
 * CorruptException reports data that failed validation: a bad magic number, version, checksum,
 * length or structure in a file or in shared memory. The message names what was checked and where
 * (file, offset or page), and nothing derived from the bad data was returned to the caller.
 */
public class CorruptException extends MmkitException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, in {@code key=value} form
   */
  public CorruptException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure that caused it.
   *
   * @param message what failed, in {@code key=value} form
   * @param cause the underlying failure
   */
  public CorruptException(String message, Throwable cause) {
    super(message, cause);
  }
}
