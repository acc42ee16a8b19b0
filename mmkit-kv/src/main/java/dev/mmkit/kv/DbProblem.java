package dev.mmkit.kv;

import java.util.Objects;

/**
 * DbProblem is one problem {@link Db#check()} found: how much it matters, what kind of problem it
 * is, the page it is on and its details. Its {@link #toString()} is the line {@code mmkit kv check}
 * prints for it, for example {@code page 360: keys out of order: index=13, bucket=/b/}.
 *
 * @param severity how much the problem matters, which also orders a check's problems
 * @param kind the fixed phrase that names this kind of problem, without details of this instance,
 *     for example {@code keys out of order}; equal for every problem of the same kind
 * @param pageId the page the problem is on, or -1 when no single page is at fault
 * @param detail the details of this instance in {@code key=value} form, separated by {@code , };
 *     empty when there are none
 */
public record DbProblem(Severity severity, String kind, long pageId, String detail) {
  /**
   * Severity is how much a problem matters. The constants are declared in report order, most
   * serious first.
   */
  public enum Severity {
    /**
     * The database may not be at its newest commit: a meta page is unreadable, or the newest commit
     * was set aside at open because it did not reach the disk whole ({@link DiscardedCommit}).
     * Expected after a power loss during a commit; otherwise an acknowledged commit may be lost.
     */
    COMMIT,

    /**
     * Damaged structure: a checksum mismatch, a malformed page, keys out of order or outside their
     * parent's separators, wrong tree levels, bad references, pages out of range or reachable
     * twice, an unreadable freelist, buckets nested too deep. Data may be unreadable.
     */
    STRUCTURE,

    /**
     * A bucket's stored key count disagrees with its keys: a key count mismatch, or an empty bucket
     * claiming keys. Reads return the right keys; counts are wrong.
     */
    COUNT,

    /**
     * Lost space: a page neither in use nor free (leaked). No data is wrong; the page is never
     * reused.
     */
    SPACE
  }

  /** Checks that the severity, kind and detail are not null. */
  public DbProblem {
    Objects.requireNonNull(severity, "severity");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(detail, "detail");
  }

  /**
   * Returns the problem as one line: {@code page N: } (left out when there is no page), the kind,
   * and {@code : } and the detail when there is one.
   */
  @Override
  public String toString() {
    String page = pageId >= 0 ? "page " + pageId + ": " : "";
    return page + kind + (detail.isEmpty() ? "" : ": " + detail);
  }
}
