package dev.mmkit.kv.internal;

import java.lang.foreign.MemorySegment;

/** PageWalker visits every page of a committed bucket tree, nested buckets included. */
final class PageWalker {
  private PageWalker() {}

  /** Frees every page reachable from {@code header} in the transaction's snapshot. */
  static void freeTree(Txn tx, BucketHeader header) {
    freeTree(tx, header, 0);
  }

  private static void freeTree(Txn tx, BucketHeader header, int nesting) {
    if (nesting > Inspector.MAX_NESTING) {
      throw tx.snapshot()
          .corrupt(header.root(), "buckets nested deeper than " + Inspector.MAX_NESTING);
    }
    if (header.root() != 0) {
      free(tx, header.root(), header.rootTxid(), -1, -1, nesting);
    }
  }

  private static void free(Txn tx, long page, long txid, int level, long from, int nesting) {
    Snapshot s = tx.snapshot();
    MemorySegment seg = s.segment();
    long off = s.node(page, txid, level, from);
    int count = Bytes.getU16(seg, off + PageLayout.COUNT);
    if (Bytes.getU8(seg, off + PageLayout.TYPE) == PageLayout.BRANCH) {
      int childLevel = Bytes.getU8(seg, off + PageLayout.LEVEL) - 1;
      for (int i = 0; i < count; i++) {
        long el = PageSearch.branchElement(off, i);
        free(
            tx,
            Bytes.getLong(seg, el + NodeLayout.BRANCH_CHILD),
            Bytes.getLong(seg, el + NodeLayout.BRANCH_CHILD_TXID),
            childLevel,
            off,
            nesting);
      }
    } else {
      for (int i = 0; i < count; i++) {
        long el = PageSearch.leafElement(off, i);
        int flags = Bytes.getU8(seg, el + NodeLayout.LEAF_FLAGS);
        long at = PageValues.valueOffset(s, el);
        if (flags == NodeLayout.OVERFLOW) {
          long length = Bytes.getInt(seg, el + NodeLayout.LEAF_VALUE_LENGTH) & 0xFFFFFFFFL;
          long run = Bytes.getLong(seg, at);
          s.overflow(run, Bytes.getLong(seg, at + 8), length);
          tx.freeRun(run, NodeLayout.overflowPages(length, s.pageSize()));
        } else if (flags == NodeLayout.BUCKET) {
          freeTree(tx, BucketHeader.read(seg, at), nesting + 1);
        }
      }
    }
    tx.free(page);
  }
}
