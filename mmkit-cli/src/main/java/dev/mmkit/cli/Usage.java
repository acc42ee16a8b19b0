package dev.mmkit.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Usage turns a wrong argument found while a command runs into the same error as one picocli finds
 * while parsing: one line, a pointer to {@code --help}, exit code 2. Only arguments the user gave
 * are reported this way; failures of mmkit itself keep their own exit codes.
 */
public final class Usage {
  private Usage() {}

  /** Returns the exception to throw from {@code spec}'s command for a wrong argument. */
  public static ParameterException wrong(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }
}
