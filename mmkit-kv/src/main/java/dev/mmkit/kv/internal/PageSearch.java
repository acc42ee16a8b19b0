package dev.mmkit.kv.internal;

import java.lang.foreign.MemorySegment;

/** PageSearch binary-searches verified branch and leaf pages in the raw mapping. */
final class PageSearch {
  private PageSearch() {}

  /** Returns the index of {@code key} in a leaf page, or {@code -(insertion point) - 1}. */
  static int leaf(MemorySegment seg, long off, int count, byte[] key) {
    int lo = 0;
    int hi = count - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long el = off + PageLayout.HEADER_SIZE + (long) mid * NodeLayout.LEAF_ELEMENT;
      int keyOff = Bytes.getU16(seg, el + NodeLayout.LEAF_KEY_OFFSET);
      int keyLen = Bytes.getU16(seg, el + NodeLayout.LEAF_KEY_LENGTH);
      int c = Bytes.compare(seg, off + keyOff, keyLen, key);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  /** Returns the index of the child of a branch page that covers {@code key}. */
  static int branch(MemorySegment seg, long off, int count, byte[] key) {
    int lo = 0;
    int hi = count - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      long el = off + PageLayout.HEADER_SIZE + (long) mid * NodeLayout.BRANCH_ELEMENT;
      int keyOff = Bytes.getU16(seg, el + NodeLayout.BRANCH_KEY_OFFSET);
      int keyLen = Bytes.getU16(seg, el + NodeLayout.BRANCH_KEY_LENGTH);
      int c = Bytes.compare(seg, off + keyOff, keyLen, key);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return lo == 0 ? 0 : lo - 1;
  }

  static long leafElement(long off, int index) {
    return off + PageLayout.HEADER_SIZE + (long) index * NodeLayout.LEAF_ELEMENT;
  }

  static long branchElement(long off, int index) {
    return off + PageLayout.HEADER_SIZE + (long) index * NodeLayout.BRANCH_ELEMENT;
  }
}
