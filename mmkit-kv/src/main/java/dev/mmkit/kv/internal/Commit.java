package dev.mmkit.kv.internal;

import dev.mmkit.core.FullException;
import dev.mmkit.core.MmkitException;
import dev.mmkit.kv.Durability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Commit writes a write transaction to the file: it rebalances and spills the changed nodes of
 * every changed bucket to newly allocated pages, appends a freelist record that lists every page it
 * wrote, writes the pages with positional writes, then the meta page that makes the commit visible,
 * and flushes all of it once when the durability mode asks. Pages are written as they are encoded,
 * a batch of consecutive pages per write, so a large commit never holds all its pages in memory;
 * none of them is reachable before the meta page is written. A flush cut short by a power loss is
 * detected at the next open ({@link CommitCompleteness}), which then uses the previous commit,
 * whose pages this one never overwrote. In strict mode each tree page is checked ({@link
 * StrictCheck}) before it is queued.
 */
final class Commit {
  private static final int CHUNK = 1 << 20;

  private final TxnState tx;
  private final StoreFile store;
  private final Snapshot base;
  private final FreeState free;
  private final int pageSize;
  private final long txid;
  private final List<OverflowWrite> overflows = new ArrayList<>();
  private final byte[] scratch;
  private final StrictCheck strict;
  private ByteBuffer batch;
  private long batchFirst = -1;
  private long batchNext = -1;
  private boolean grew;

  private record OverflowWrite(long page, byte[] header, byte[] value, long padding) {}

  Commit(TxnState tx) {
    this.tx = tx;
    this.store = tx.store();
    this.base = tx.snapshot();
    this.free = tx.lease().free();
    this.pageSize = base.pageSize();
    this.txid = tx.txid();
    this.scratch = new byte[pageSize];
    this.strict = store.options().strict() ? new StrictCheck(base, txid) : null;
  }

  Meta run() {
    BucketTree root = tx.openedRoot();
    if (root == null || !root.dirty) {
      return base.meta();
    }
    long oldest = store.oldestReader();
    free.beginCommit(Math.min(oldest, base.txid() - 1));
    try {
      base.read(
          () -> {
            spill(root);
            return null;
          });
    } catch (UncheckedIOException e) {
      throw failed(e.getCause());
    }
    long[] freed = tx.freed.sortedUnique();
    List<byte[]> freelist = free.finishCommit(txid, freed, pageSize);
    Meta meta =
        base.meta()
            .next(
                txid,
                free.pageCount,
                root.header,
                free.head,
                free.headTxid,
                free.deltaPages,
                free.checkpointPages);
    try {
      for (byte[] p : freelist) {
        addPage(Bytes.getLong(p, PageLayout.PAGE_ID), p);
      }
      write(meta);
    } catch (IOException e) {
      throw failed(e);
    }
    return meta;
  }

  private MmkitException failed(IOException e) {
    if (String.valueOf(e.getMessage()).contains("No space left")) {
      return new FullException("disk full while committing: file=" + store.path(), e);
    }
    return new MmkitException("commit failed: file=" + store.path() + ", txid=" + txid, e);
  }

  private void spill(BucketTree t) {
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
          l.setOverflowRef(i, writeOverflow(value), txid);
        }
      }
    }
    tx.free(n.page);
    List<Entry> out = new ArrayList<>();
    int[] bounds = partition(n);
    for (int p = 0; bounds[p] < n.entries.size(); p++) {
      long page = free.allocate(1);
      try {
        byte[] encoded = encode(n, bounds[p], bounds[p + 1], page);
        if (strict != null) {
          strict.treePage(page, encoded);
        }
        addPage(page, encoded);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      out.add(Entry.branch(n.entries.key(bounds[p]), page, txid, null));
    }
    return out;
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

  /** Queues {@code value} for an overflow run of its own; returns the run's first page. */
  private long writeOverflow(byte[] value) {
    long count = NodeLayout.overflowPages(value.length, pageSize);
    long first = free.allocate(count);
    long padding = OverflowPage.padding(count, value.length, pageSize);
    byte[] head = OverflowPage.header(first, txid, count, value, padding);
    overflows.add(new OverflowWrite(first, head, value, padding));
    return first;
  }

  /** Queues page {@code page} for writing; consecutive pages go out in one write. */
  private void addPage(long page, byte[] b) throws IOException {
    if (batch == null) {
      batch = store.writer().writeBuffer();
    }
    if (page != batchNext || !batch.hasRemaining()) {
      flushBatch();
      batchFirst = page;
    }
    batch.put(b);
    batchNext = page + 1;
  }

  private void flushBatch() throws IOException {
    if (batch != null && batch.position() > 0) {
      batch.flip();
      long end = batchFirst * pageSize + batch.remaining();
      grew |= store.writer().ensureFileSize(end);
      store.file().write(batch, batchFirst * pageSize);
      batch.clear();
    }
  }

  private void write(Meta meta) throws IOException {
    PageFile f = store.file();
    flushBatch();
    grew |= store.writer().ensureFileSize(meta.pageCount() * pageSize);
    for (OverflowWrite o : overflows) {
      long at = o.page() * pageSize;
      f.write(ByteBuffer.wrap(o.header()), at);
      at += PageLayout.HEADER_SIZE;
      for (int off = 0; off < o.value().length; off += CHUNK) {
        int n = Math.min(CHUNK, o.value().length - off);
        f.write(ByteBuffer.wrap(o.value(), off, n), at);
        at += n;
      }
      if (o.padding() > 0) {
        f.write(ByteBuffer.wrap(new byte[(int) o.padding()]), at);
      }
    }
    f.write(ByteBuffer.wrap(meta.encode()), (txid & 1) * pageSize);
    if (store.durability() == Durability.SYNC) {
      f.force(grew);
    }
  }
}
