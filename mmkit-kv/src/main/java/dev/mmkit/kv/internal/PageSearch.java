package dev.mmkit.kv.internal;

import java.lang.foreign.MemorySegment;

/** PageSearch binary-searches verified branch and leaf pages in the raw mapping. */
final class PageSearch {
  private PageSearch() {}

  /** Returns the index of {@code key} in a leaf page, or {@code -(insertion point) - 1}. */
  static int leaf(MemorySegment seg, long off, int count, byte[] key) {
    return search(seg, off, count, key, NodeLayout.LEAF_ELEMENT, NodeLayout.LEAF_KEY_OFFSET);
  }

  /** Returns the index of the child of a branch page that covers {@code key}. */
  static int branch(MemorySegment seg, long off, int count, byte[] key) {
    return coveringChild(
        search(seg, off, count, key, NodeLayout.BRANCH_ELEMENT, NodeLayout.BRANCH_KEY_OFFSET));
  }

  /**
   * Returns the index of the branch child that covers a key, from the result of searching the key
   * among the branch's separators: the separator equal to the key, else the last one below it, else
   * the first.
   */
  static int coveringChild(int searched) {
    if (searched >= 0) {
      return searched;
    }
    int insertion = -searched - 1;
    return insertion == 0 ? 0 : insertion - 1;
  }

  /**
   * Returns the index of {@code key} among the {@code count} elements of {@code elementSize} bytes
   * of the page at {@code off}, or {@code -(insertion point) - 1}; each element holds its key's
   * offset in the page and then its length as unsigned shorts from {@code keyOffset} on.
   */
  private static int search(
      MemorySegment seg, long off, int count, byte[] key, int elementSize, int keyOffset) {
    int lo = 0;
    int hi = count - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      // The key offset and length are adjacent u16s: one little-endian int read gets both.
      int both = Bytes.getInt(seg, element(off, mid, elementSize) + keyOffset);
      int c = Bytes.compare(seg, off + (both & 0xFFFF), both >>> 16, key);
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

  /** Returns the offset of leaf element {@code index} of the page at {@code off}. */
  static long leafElement(long off, int index) {
    return element(off, index, NodeLayout.LEAF_ELEMENT);
  }

  /** Returns the offset of branch element {@code index} of the page at {@code off}. */
  static long branchElement(long off, int index) {
    return element(off, index, NodeLayout.BRANCH_ELEMENT);
  }

  private static long element(long off, int index, int elementSize) {
    return off + PageLayout.HEADER_SIZE + (long) index * elementSize;
  }
}
