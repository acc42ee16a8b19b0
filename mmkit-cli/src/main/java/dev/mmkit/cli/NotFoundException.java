package dev.mmkit.cli;

import java.io.Serial;

/** NotFoundException reports that what a command was asked for does not exist (exit code 1). */
public final class NotFoundException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /** Creates the exception with what was not found, in {@code key=value} form. */
  public NotFoundException(String message) {
    super(message);
  }
}
