package dev.mmkit.cli.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mmkit.kv.DbProblem;
import dev.mmkit.kv.DbProblem.Severity;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ProblemGroupTest checks how check problems are grouped and how a group prints. */
class ProblemGroupTest {
  private static final String LEAKED = "page is neither in use nor free (leaked)";

  private static DbProblem leaked(long page) {
    return new DbProblem(Severity.SPACE, LEAKED, page, "");
  }

  @Test
  void shouldGroupBySeverityAndKindMostSevereFirstKeepingFirstAppearance() {
    DbProblem order = new DbProblem(Severity.STRUCTURE, "keys out of order", 9, "index=1");
    DbProblem count = new DbProblem(Severity.COUNT, "bucket key count mismatch", 4, "bucket=/");
    DbProblem sum = new DbProblem(Severity.STRUCTURE, "checksum mismatch", 12, "bucket=/a/");
    DbProblem order2 = new DbProblem(Severity.STRUCTURE, "keys out of order", 3, "index=7");

    List<ProblemGroup> groups = ProblemGroup.of(List.of(leaked(20), count, order, sum, order2));

    assertThat(groups)
        .extracting(ProblemGroup::severity, ProblemGroup::kind, ProblemGroup::count)
        .containsExactly(
            tuple(Severity.STRUCTURE, "keys out of order", 2),
            tuple(Severity.STRUCTURE, "checksum mismatch", 1),
            tuple(Severity.COUNT, "bucket key count mismatch", 1),
            tuple(Severity.SPACE, LEAKED, 1));
    assertThat(groups.getFirst().problems()).containsExactly(order, order2);
  }

  @Test
  void shouldPrintAGroupOfOneAsTheProblemItself() {
    DbProblem p = new DbProblem(Severity.STRUCTURE, "keys out of order", 360, "index=13");
    assertThat(ProblemGroup.of(List.of(p)).getFirst().line())
        .isEqualTo("page 360: keys out of order: index=13");
  }

  @Test
  void shouldPrintCountKindFirstPagesAndHowManyMore() {
    List<DbProblem> problems = new ArrayList<>();
    for (long page = 2; page < 2 + 113; page++) {
      problems.add(leaked(page));
    }
    ProblemGroup g = ProblemGroup.of(problems).getFirst();
    assertThat(g.line()).isEqualTo("113 x " + LEAKED + ": pages 2, 3, 4, 5, 6 and 108 more");
    assertThat(g.firstPageIds()).containsExactly(2L, 3L, 4L, 5L, 6L);
  }

  @Test
  void shouldNameEachPageOnceAndLeaveOutProblemsWithoutAPage() {
    String twice = "page reachable twice (cycle or shared page)";
    DbProblem a = new DbProblem(Severity.STRUCTURE, twice, 7, "owner=/");
    DbProblem b = new DbProblem(Severity.STRUCTURE, twice, 7, "owner=/a/");
    assertThat(ProblemGroup.of(List.of(a, b)).getFirst().line())
        .isEqualTo("2 x " + twice + ": page 7");
    String empty = "empty bucket claims keys";
    DbProblem c = new DbProblem(Severity.COUNT, empty, -1, "bucket=/x/, count=1");
    DbProblem d = new DbProblem(Severity.COUNT, empty, -1, "bucket=/y/, count=2");
    assertThat(ProblemGroup.of(List.of(c, d)).getFirst().line()).isEqualTo("2 x " + empty);
  }
}
