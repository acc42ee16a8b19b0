package dev.mmkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
