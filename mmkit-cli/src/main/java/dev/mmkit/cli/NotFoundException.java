package dev.mmkit.cli;

import java.io.Serial;

/** NotFoundException reports that what a command was asked for does not exist (exit code 1). */
final class NotFoundException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  NotFoundException(String message) {
    super(message);
  }
}
