package dev.mmkit.cli;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import picocli.CommandLine;

/** Main starts the {@code mmkit} command and exits with its {@link ExitCode}. */
public final class Main {
  private Main() {}

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line on the standard streams and returns its exit code. */
  public static int run(String... args) {
    return run(
        new PrintWriter(System.out, true, Charset.defaultCharset()),
        new PrintWriter(System.err, true, Charset.defaultCharset()),
        args);
  }

  private static final int HELP_WIDTH = 100;

  /** Runs the command line with the given output and error writers; used by tests. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine commandLine = new CommandLine(new MmkitCommand());
    commandLine.setOut(out);
    commandLine.setErr(err);
    commandLine.setExecutionExceptionHandler(new ErrorReporter());
    commandLine.setParameterExceptionHandler(ErrorReporter::usage);
    // Descriptions are written as lines of up to about 90 characters; at picocli's default width
    // of 80 each would wrap and leave a word or two on a line of its own.
    commandLine.setUsageHelpWidth(HELP_WIDTH);
    listExitCodes(commandLine);
    return commandLine.execute(args);
  }

  /** Makes {@code --help} of the command and of every subcommand end with the exit codes. */
  private static void listExitCodes(CommandLine commandLine) {
    commandLine
        .getCommandSpec()
        .usageMessage()
        .exitCodeListHeading("%nExit codes:%n")
        .exitCodeList(ExitCode.MEANINGS);
    commandLine.getSubcommands().values().forEach(Main::listExitCodes);
  }
}
