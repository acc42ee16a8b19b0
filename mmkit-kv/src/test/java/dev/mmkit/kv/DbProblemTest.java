package dev.mmkit.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.kv.DbProblem.Severity;
import org.junit.jupiter.api.Test;

/** DbProblemTest checks the line a problem prints as and the order of severities. */
class DbProblemTest {
  @Test
  void shouldPrintAsPageKindAndDetail() {
    DbProblem p =
        new DbProblem(Severity.STRUCTURE, "keys out of order", 360, "index=13, bucket=/b/");
    assertThat(p).hasToString("page 360: keys out of order: index=13, bucket=/b/");
  }

  @Test
  void shouldLeaveOutThePageWhenThereIsNoneAndTheDetailWhenEmpty() {
    assertThat(new DbProblem(Severity.COUNT, "empty bucket claims keys", -1, "bucket=/x/, count=3"))
        .hasToString("empty bucket claims keys: bucket=/x/, count=3");
    assertThat(new DbProblem(Severity.SPACE, "page is neither in use nor free (leaked)", 2, ""))
        .hasToString("page 2: page is neither in use nor free (leaked)");
  }

  @Test
  void shouldOrderSeveritiesCommitThenStructureThenCountThenSpace() {
    assertThat(Severity.values())
        .containsExactly(Severity.COMMIT, Severity.STRUCTURE, Severity.COUNT, Severity.SPACE);
  }
}
