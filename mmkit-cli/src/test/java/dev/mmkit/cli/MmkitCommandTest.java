package dev.mmkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MmkitCommandTest {

  @Test
  void shouldListTheVerbsInHelp() {
    CliRun run = CliRun.of("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains("tour", "residency");
  }

  @Test
  void shouldPrintTheVersion() {
    CliRun run = CliRun.of("--version");
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).startsWith("mmkit 0.1.0").contains("JVM 25");
  }

  @Test
  void shouldExitWithUsageOnAnUnknownVerbOrOption() {
    CliRun unknown = CliRun.of("frobnicate");
    assertThat(unknown.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(unknown.err()).contains("mmkit: Unmatched argument");
    CliRun option = CliRun.of("residency", "--bogus", "x");
    assertThat(option.exitCode()).isEqualTo(ExitCode.USAGE);
  }

  @Test
  void shouldEndEveryVerbsHelpWithTheExitCodes() {
    List<List<String>> verbs = new ArrayList<>();
    collect(new CommandLine(new MmkitCommand()), new ArrayList<>(), verbs);
    assertThat(verbs).as("verbs found").hasSizeGreaterThan(20);
    for (List<String> verb : verbs) {
      List<String> args = new ArrayList<>(verb);
      args.add("--help");
      CliRun help = CliRun.of(args.toArray(String[]::new));
      assertThat(help.exitCode()).as(String.join(" ", args)).isZero();
      String tail = help.out().substring(help.out().lastIndexOf("Exit codes:"));
      assertThat(tail)
          .as(String.join(" ", args))
          .contains("0   done", "1   not found", "2   wrong command line", "3   bad data")
          .contains("4   I/O or system error", "5   mmkit failed unexpectedly");
    }
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> into) {
    into.add(List.copyOf(path));
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              if (!name.equals("help")) {
                List<String> next = new ArrayList<>(path);
                next.add(name);
                collect(sub, next, into);
              }
            });
  }

  @Test
  void shouldGiveUsageOnlyForWrongArgumentsAndSayWhenMmkitItselfFailed() {
    assertThat(ErrorReporter.exitCode(new IllegalArgumentException("from inside mmkit")))
        .as("an unexpected exception is not the user's mistake")
        .isEqualTo(ExitCode.INTERNAL);
    assertThat(ErrorReporter.exitCode(new IllegalStateException("bug")))
        .isEqualTo(ExitCode.INTERNAL);
    assertThat(ErrorReporter.exitCode(new java.io.IOException("disk"))).isEqualTo(ExitCode.SYSTEM);
    CliRun repeats = CliRun.of("bench", "io", "--repeats", "0");
    assertThat(repeats.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(repeats.err()).contains("--repeats must be at least 1", "--help");
  }
}
