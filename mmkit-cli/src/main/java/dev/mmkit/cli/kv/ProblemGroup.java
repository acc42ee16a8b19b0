package dev.mmkit.cli.kv;

import dev.mmkit.kv.DbProblem;
import dev.mmkit.kv.DbProblem.Severity;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * ProblemGroup is the problems of one severity and kind, which {@code mmkit kv check} prints as one
 * line: a problem alone as itself, several as their count, their kind and their first page ids.
 *
 * @param severity the severity of every problem in the group
 * @param kind the kind of every problem in the group
 * @param problems the problems, in the order found; never empty
 */
record ProblemGroup(Severity severity, String kind, List<DbProblem> problems) {
  /** Most page ids a group names. */
  static final int PAGE_IDS_SHOWN = 5;

  private record Key(Severity severity, String kind) {}

  /**
   * Groups {@code problems} by severity and kind: most severe first, and within a severity in the
   * order each kind first appears.
   */
  static List<ProblemGroup> of(List<DbProblem> problems) {
    Map<Key, List<DbProblem>> byKind = new LinkedHashMap<>();
    for (DbProblem p : problems) {
      byKind.computeIfAbsent(new Key(p.severity(), p.kind()), k -> new ArrayList<>()).add(p);
    }
    List<ProblemGroup> groups = new ArrayList<>();
    byKind.forEach(
        (k, ps) -> groups.add(new ProblemGroup(k.severity(), k.kind(), List.copyOf(ps))));
    groups.sort(Comparator.comparing(ProblemGroup::severity));
    return groups;
  }

  /** Returns the number of problems in the group. */
  int count() {
    return problems.size();
  }

  /** Returns the distinct page ids of the group's problems, in the order found. */
  List<Long> pageIds() {
    return problems.stream().map(DbProblem::pageId).filter(id -> id >= 0).distinct().toList();
  }

  /** Returns the first {@link #PAGE_IDS_SHOWN} of {@link #pageIds()}. */
  List<Long> firstPageIds() {
    List<Long> ids = pageIds();
    return ids.subList(0, Math.min(PAGE_IDS_SHOWN, ids.size()));
  }

  /**
   * Returns the group as one line: the problem itself when alone; otherwise {@code N x kind}, then
   * the first page ids and how many more pages there are, for example {@code 113 x page is neither
   * in use nor free (leaked): pages 2, 3, 4, 5, 6 and 108 more}.
   */
  String line() {
    if (problems.size() == 1) {
      return problems.getFirst().toString();
    }
    StringBuilder line = new StringBuilder().append(count()).append(" x ").append(kind);
    int pages = pageIds().size();
    List<Long> shown = firstPageIds();
    if (!shown.isEmpty()) {
      line.append(pages == 1 ? ": page " : ": pages ");
      line.append(shown.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }
    if (pages > shown.size()) {
      line.append(" and ").append(pages - shown.size()).append(" more");
    }
    return line.toString();
  }
}
