package dev.mmkit.cli;

import java.io.Serial;

/**
 * BadInputException reports that data a command read (standard input, a dump) is not of the format
 * it expects (exit code 3); the message names the line.
 */
public final class BadInputException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates the exception with what is wrong and where, in {@code key=value} form. */
  public BadInputException(String message, Throwable cause) {
    super(message, cause);
  }
}
