package dev.mmkit.kv.internal.page;

import java.lang.foreign.MemorySegment;

/**
 * PageSearch binary-searches the keys of a verified branch or leaf page in the raw mapping, for
 * {@link LeafPage} and {@link BranchPage}: both pages' elements hold their key's offset and length
 * as adjacent unsigned shorts.
 */
final class PageSearch {
  private PageSearch() {}

  /**
   * Returns the index of {@code key} among the {@code count} elements of {@code elementSize} bytes
   * of the page at {@code off}, or {@code -(insertion point) - 1}; each element holds its key's
   * offset in the page and then its length as unsigned shorts from {@code keyOffset} on.
   */
  static int search(
      MemorySegment seg, long off, int count, byte[] key, int elementSize, int keyOffset) {
    int lo = 0;
    int hi = count - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      // The key offset and length are adjacent u16s: one little-endian int read gets both.
      long el = off + PageLayout.HEADER_SIZE + (long) mid * elementSize;
      int both = Bytes.getInt(seg, el + keyOffset);
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
}
