package dev.mmkit.kv;

import dev.mmkit.kv.internal.tree.PageCursor;

/**
 * Scans runs a {@link KeyRange} over a cursor, in the range's direction: forward through {@link
 * PageCursor#forEachForward}, a leaf page at a time; backward a guarded cursor move per entry.
 */
final class Scans {
  private Scans() {}

  static long run(PageCursor c, KeyRange range, Bucket.Visitor visitor) {
    byte[] lower = range.rawLower();
    byte[] upper = range.rawUpper();
    if (!range.isReversed()) {
      boolean ok = lower == null ? c.first() : c.seek(lower);
      if (ok && lower != null && !range.lowerInclusive() && c.compareKey(lower) == 0) {
        ok = c.next();
      }
      return ok ? c.forEachForward(upper, range.upperInclusive(), visitor::visit) : 0;
    }
    boolean ok = upper == null ? c.last() : c.seekFloor(upper);
    if (ok && upper != null && !range.upperInclusive() && c.compareKey(upper) == 0) {
      ok = c.prev();
    }
    long visited = 0;
    while (ok) {
      if (lower != null) {
        int cmp = c.compareKey(lower);
        if (cmp < 0 || (cmp == 0 && !range.lowerInclusive())) {
          break;
        }
      }
      visited++;
      if (!visitor.visit(c.key(), c.value())) {
        break;
      }
      ok = c.prev();
    }
    return visited;
  }
}
