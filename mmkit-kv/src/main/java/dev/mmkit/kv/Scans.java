package dev.mmkit.kv;

import dev.mmkit.kv.internal.TreeCursor;

/**
 * Scans runs a {@link KeyRange} over a cursor, in the range's direction; each cursor move is a
 * guarded read of its own.
 */
final class Scans {
  private Scans() {}

  static long run(TreeCursor c, KeyRange range, Bucket.Visitor visitor) {
    byte[] lower = range.rawLower();
    byte[] upper = range.rawUpper();
    boolean reversed = range.isReversed();
    boolean ok;
    if (!reversed) {
      ok = lower == null ? c.first() : c.seek(lower);
      if (ok && lower != null && !range.lowerInclusive() && c.compareKey(lower) == 0) {
        ok = c.next();
      }
    } else {
      ok = upper == null ? c.last() : c.seekFloor(upper);
      if (ok && upper != null && !range.upperInclusive() && c.compareKey(upper) == 0) {
        ok = c.prev();
      }
    }
    long visited = 0;
    while (ok) {
      if (!reversed && upper != null) {
        int cmp = c.compareKey(upper);
        if (cmp > 0 || (cmp == 0 && !range.upperInclusive())) {
          break;
        }
      }
      if (reversed && lower != null) {
        int cmp = c.compareKey(lower);
        if (cmp < 0 || (cmp == 0 && !range.lowerInclusive())) {
          break;
        }
      }
      visited++;
      if (!visitor.visit(c.key(), c.value())) {
        break;
      }
      ok = reversed ? c.prev() : c.next();
    }
    return visited;
  }
}
