package dev.mmkit.cli;

import picocli.CommandLine;

/** Main starts the {@code mmkit} command and exits with its {@link ExitCode}. */
public final class Main {
  private Main() {}

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit code without exiting; used by tests. */
  public static int run(String... args) {
    CommandLine commandLine = new CommandLine(new MmkitCommand());
    commandLine.setExecutionExceptionHandler(new ErrorReporter());
    commandLine.setParameterExceptionHandler(ErrorReporter::usage);
    return commandLine.execute(args);
  }
}
