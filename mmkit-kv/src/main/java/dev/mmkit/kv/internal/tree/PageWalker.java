package dev.mmkit.kv.internal.tree;

import dev.mmkit.kv.internal.page.BranchPage;
import dev.mmkit.kv.internal.page.BucketHeader;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.LeafPage;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import dev.mmkit.kv.internal.storage.Snapshot;
import java.lang.foreign.MemorySegment;

/** PageWalker visits every page of a committed bucket tree, nested buckets included. */
public final class PageWalker {
  private PageWalker() {}

  /** Receives runs of pages: a tree page (one page) or an overflow run. */
  @FunctionalInterface
  public interface Pages {
    /** Receives {@code count} pages from {@code first}. */
    void accept(long first, long count);
  }

  /** Frees every page reachable from {@code header} in the transaction's snapshot. */
  static void freeTree(TreeTxn tx, BucketHeader header) {
    visit(tx.snapshot(), header, tx::freeRun);
  }

  /**
   * Hands every page reachable from {@code header} in {@code s} to {@code pages}, children before
   * their parent. Reads the mapping: call inside {@link Snapshot#read}.
   */
  public static void visit(Snapshot s, BucketHeader header, Pages pages) {
    visit(s, header, pages, 0);
  }

  private static void visit(Snapshot s, BucketHeader header, Pages pages, int nesting) {
    if (nesting > NodeLayout.MAX_BUCKET_DEPTH) {
      throw s.corrupt(header.root(), "buckets nested deeper than " + NodeLayout.MAX_BUCKET_DEPTH);
    }
    if (header.root() != 0) {
      visit(s, header.root(), header.rootTxid(), -1, -1, pages, nesting);
    }
  }

  private static void visit(
      Snapshot s, long page, long txid, int level, long from, Pages pages, int nesting) {
    MemorySegment seg = s.segment();
    long off = s.node(page, txid, level, from);
    int count = Bytes.getU16(seg, off + PageLayout.COUNT);
    if (Bytes.getU8(seg, off + PageLayout.TYPE) == PageLayout.BRANCH) {
      int childLevel = Bytes.getU8(seg, off + PageLayout.LEVEL) - 1;
      for (int i = 0; i < count; i++) {
        long el = BranchPage.element(off, i);
        visit(
            s,
            BranchPage.childPage(seg, el),
            BranchPage.childTxid(seg, el),
            childLevel,
            off,
            pages,
            nesting);
      }
    } else {
      for (int i = 0; i < count; i++) {
        long el = LeafPage.element(off, i);
        int flags = LeafPage.flags(seg, el);
        long at = LeafPage.valueOffset(seg, el, s.pageSize());
        if (flags == NodeLayout.OVERFLOW) {
          long length = LeafPage.valueLength(seg, el) & 0xFFFFFFFFL;
          long run = Bytes.getLong(seg, at);
          s.overflow(run, Bytes.getLong(seg, at + 8), length);
          pages.accept(run, NodeLayout.overflowPages(length, s.pageSize()));
        } else if (flags == NodeLayout.BUCKET) {
          visit(s, BucketHeader.read(seg, at), pages, nesting + 1);
        }
      }
    }
    pages.accept(page, 1);
  }
}
