package dev.mmkit.cli;

import dev.mmkit.core.CorruptException;
import dev.mmkit.core.MmkitException;
import dev.mmkit.core.TruncatedException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * ErrorReporter turns a failed command into one line on standard error and an {@link ExitCode}. The
 * stack trace is printed only with {@code --debug}.
 */
final class ErrorReporter implements CommandLine.IExecutionExceptionHandler {

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    err.println("mmkit: " + describe(e));
    if (MmkitCommand.debug(commandLine)) {
      e.printStackTrace(err);
    }
    err.flush();
    return exitCode(e);
  }

  static int usage(CommandLine.ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    PrintWriter err = commandLine.getErr();
    err.println("mmkit: " + e.getMessage());
    err.println("Try '" + commandLine.getCommandSpec().qualifiedName() + " --help'.");
    err.flush();
    return ExitCode.USAGE;
  }

  static int exitCode(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof NotFoundException || cause instanceof NoSuchFileException) {
        return ExitCode.NOT_FOUND;
      }
      if (cause instanceof CorruptException
          || cause instanceof TruncatedException
          || cause instanceof BadInputException) {
        return ExitCode.BAD_DATA;
      }
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException || cause instanceof MmkitException) {
        return ExitCode.SYSTEM;
      }
    }
    return ExitCode.INTERNAL;
  }

  private static String describe(Throwable e) {
    if (e instanceof UncheckedIOException unchecked) {
      return describe(unchecked.getCause());
    }
    if (e instanceof NoSuchFileException missing) {
      return "no such file: " + missing.getFile();
    }
    if (e instanceof IOException
        || e instanceof MmkitException
        || e instanceof NotFoundException
        || e instanceof BadInputException) {
      return e.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }
}
