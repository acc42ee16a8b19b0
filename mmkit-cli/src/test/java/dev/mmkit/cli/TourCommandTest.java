package dev.mmkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TourCommandTest {

  @Test
  void shouldRunEveryStepAndShowExactSharedCounts() {
    CliRun run = CliRun.of("tour");
    assertThat(run.exitCode()).as(run.err()).isZero();
    int steps = TourCommand.steps().size();
    for (int step = 1; step <= steps; step++) {
      assertThat(run.out()).contains("[" + step + "/" + steps + "]");
    }
    assertThat(run.out())
        .contains("read back: \"written straight into mapped memory\"")
        .contains("atomic counter: 4,000,000 (expected 4,000,000: exact)")
        .contains("lock-protected counter: 200,000 (expected 200,000: exact)")
        .contains("reading the end now: file shorter than the range accessed")
        .contains("tour finished");
  }
}
