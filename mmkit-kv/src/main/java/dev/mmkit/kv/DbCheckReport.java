package dev.mmkit.kv;

import java.util.List;

/**
 * DbCheckReport is what {@link Db#checkReport()} found in one walk of the whole database: the
 * problems kept, and how many more were found but not kept.
 *
 * @param problems the problems kept, ordered by {@link DbProblem.Severity} (most serious first)
 *     and, within a severity, in the order the walk found them; empty when the database is sound.
 *     Only the first {@value #MAX_PROBLEMS} problems the walk finds are kept
 * @param dropped problems found after the first {@value #MAX_PROBLEMS}, counted but not kept; 0
 *     when every problem found is in {@code problems}
 * @param pageCount pages that belong to the database, all of them checked
 */
public record DbCheckReport(List<DbProblem> problems, long dropped, long pageCount) {
  /** Most problems a check keeps; it counts the rest in {@link #dropped()}. */
  public static final int MAX_PROBLEMS = 1000;

  /** Copies the problems into an unmodifiable list. */
  public DbCheckReport {
    problems = List.copyOf(problems);
  }

  /** Returns whether the database is sound: no problem found. */
  public boolean ok() {
    return problems.isEmpty() && dropped == 0;
  }

  /** Returns the number of problems found, those kept and those dropped. */
  public long found() {
    return problems.size() + dropped;
  }
}
