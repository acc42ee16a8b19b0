package dev.mmkit.kv.internal.tree;

import dev.mmkit.kv.internal.check.StrictCheck;
import dev.mmkit.kv.internal.page.BranchPage;
import dev.mmkit.kv.internal.page.BucketHeader;
import dev.mmkit.kv.internal.page.LeafPage;
import dev.mmkit.kv.internal.page.PageLayout;
import dev.mmkit.kv.internal.storage.FreeState;
import dev.mmkit.kv.internal.storage.Snapshot;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * TreeSpill writes the changed part of a bucket tree to new pages when a write transaction commits:
 * it rebalances each changed tree, then encodes its materialized nodes, children before their
 * parents, into pages allocated from the free-page state, and hands them to the commit that writes
 * them. Changed nested buckets are spilled first, so their new headers reach their parents. In
 * strict mode each tree page is checked ({@link StrictCheck}) before it is handed over. Reads the
 * mapping: call inside {@link Snapshot#read}.
 */
public final class TreeSpill {
  private final TreeTxn tx;
  private final FreeState free;
  private final StrictCheck strict;
  private final Pages pages;
  private final int pageSize;
  private final long txid;
  private final byte[] scratch;

  /** Pages is where the spilled pages go: the commit's batches of pages and overflow runs. */
  public interface Pages {
    /** Queues encoded page {@code page} for writing; {@code encoded} is reused after the call. */
    void addPage(long page, byte[] encoded) throws IOException;

    /** Queues {@code value} for an overflow run of its own; returns the run's first page. */
    long writeOverflow(byte[] value);
  }

  /**
   * Spills for write transaction {@code tx}, allocating from {@code free}; {@code strict} is null
   * unless strict mode is on.
   */
  public TreeSpill(TreeTxn tx, FreeState free, StrictCheck strict, Pages pages) {
    this.tx = tx;
    this.free = free;
    this.strict = strict;
    this.pages = pages;
    this.pageSize = tx.pageSize();
    this.txid = tx.txid();
    this.scratch = new byte[pageSize];
  }

  /**
   * Spills {@code t} and the changed buckets nested in it, deepest first, and sets its header to
   * the new root.
   */
  public void spill(BucketTree t) {
    for (BucketTree c : t.children.values()) {
      if (!c.deleted && c.dirty) {
        spill(c);
        t.storeChildHeader(c);
      }
    }
    t.rebalance();
    long root = t.header.root();
    long rootTxid = t.header.rootTxid();
    if (t.rootNode != null) {
      int level = t.rootNode.level;
      List<Entry> pieces = spillNode(t.rootNode);
      while (pieces.size() > 1) {
        Node above = new Node(false, level + 1, pieces.size());
        for (Entry e : pieces) {
          above.place(-(above.entries.size() + 1), e);
        }
        pieces = spillNode(above);
        level++;
      }
      root = pieces.isEmpty() ? 0 : pieces.get(0).page;
      rootTxid = pieces.isEmpty() ? 0 : txid;
      if (strict != null && root != 0) {
        strict.root(root);
      }
      t.rootNode = null;
    }
    t.header = new BucketHeader(root, rootTxid, t.sequence, t.count);
  }

  private List<Entry> spillNode(Node n) {
    if (!n.leaf) {
      BranchEntries rebuilt = new BranchEntries(n.entries.size() + 4);
      for (int i = 0; i < n.entries.size(); i++) {
        Entry e = n.entries.get(i);
        if (e.child == null) {
          rebuilt.add(e);
          continue;
        }
        List<Entry> pieces = spillNode(e.child);
        if (pieces.size() > 1 && i + 1 < n.entries.size()) {
          n.appendOnly = false; // A child split in the middle: pack this node's pages evenly.
        }
        for (Entry piece : pieces) {
          rebuilt.add(piece);
        }
      }
      n.entries = rebuilt;
      n.size = PageLayout.HEADER_SIZE;
      for (int i = 0; i < rebuilt.size(); i++) {
        n.size += rebuilt.entrySize(i);
      }
    } else {
      LeafEntries l = (LeafEntries) n.entries;
      for (int i = 0; i < l.size(); i++) {
        byte[] value = l.pendingValue(i);
        if (value != null) {
          l.setOverflowRef(i, pages.writeOverflow(value), txid);
        }
      }
    }
    tx.free(n.page);
    List<Entry> spilled = new ArrayList<>();
    int[] bounds = partition(n);
    for (int p = 0; bounds[p] < n.entries.size(); p++) {
      long page = free.allocate(1);
      try {
        byte[] encoded = encode(n, bounds[p], bounds[p + 1], page);
        if (strict != null) {
          strict.treePage(page, encoded);
        }
        pages.addPage(page, encoded);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      spilled.add(Entry.branch(n.entries.key(bounds[p]), page, txid, null));
    }
    return spilled;
  }

  /**
   * Splits the entries of {@code n} into pages: returns the index each page starts at, ending with
   * the number of entries.
   */
  private int[] partition(Node n) {
    int count = n.entries.size();
    int[] bounds = new int[count + 1];
    int pieces = 0;
    if (count == 0) {
      return bounds;
    }
    int capacity = pageSize - PageLayout.HEADER_SIZE;
    int total = n.size - PageLayout.HEADER_SIZE;
    int needed = Math.max(1, (total + capacity - 1) / capacity);
    int target = n.appendOnly ? capacity : (total + needed - 1) / needed;
    int used = 0;
    for (int i = 0; i < count; i++) {
      int size = n.entries.entrySize(i);
      if (i > bounds[pieces] && (used + size > capacity || used >= target)) {
        bounds[++pieces] = i;
        used = 0;
      }
      used += size;
    }
    bounds[++pieces] = count;
    return bounds;
  }

  /** Encodes entries {@code [from, to)} of {@code n} as page {@code page}, in a scratch array. */
  private byte[] encode(Node n, int from, int to, long page) {
    if (n.leaf) {
      LeafPage.encode(scratch, (LeafEntries) n.entries, from, to, page, txid);
    } else {
      BranchPage.encode(scratch, (BranchEntries) n.entries, from, to, n.level, page, txid);
    }
    return scratch;
  }
}
