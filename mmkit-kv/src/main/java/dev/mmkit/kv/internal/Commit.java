package dev.mmkit.kv.internal;

import dev.mmkit.core.FullException;
import dev.mmkit.core.MmkitException;
import dev.mmkit.kv.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Commit writes a write transaction to the file: it rebalances and spills the changed nodes of
 * every changed bucket to newly allocated pages, appends a freelist record, writes the pages with
 * positional writes, flushes them, and then writes and flushes the meta page that makes the commit
 * visible, as the durability mode asks.
 */
final class Commit {
  private static final int BATCH_PAGES = 64;
  private static final int CHUNK = 1 << 20;

  private final Txn tx;
  private final Store store;
  private final Snapshot base;
  private final FreeState free;
  private final int pageSize;
  private final long txid;
  private final TreeMap<Long, byte[]> pages = new TreeMap<>();
  private final List<OverflowWrite> overflows = new ArrayList<>();

  private record OverflowWrite(long page, byte[] header, byte[] value, long padding) {}

  Commit(Txn tx) {
    this.tx = tx;
    this.store = tx.store();
    this.base = tx.snapshot();
    this.free = tx.lease().free();
    this.pageSize = base.pageSize();
    this.txid = tx.txid();
  }

  Meta run() {
    Tree root = tx.openedRoot();
    if (root == null || !root.dirty) {
      return base.meta();
    }
    long oldest = store.oldestReader();
    free.beginCommit(Math.min(oldest, base.txid() - 1));
    base.read(
        () -> {
          spill(root);
          return null;
        });
    long[] freed = tx.freed.sortedUnique();
    for (byte[] p : free.finishCommit(txid, freed, pageSize)) {
      pages.put(Bytes.getLong(p, PageLayout.PAGE_ID), p);
    }
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
      write(meta);
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("No space left")) {
        throw new FullException("disk full while committing: file=" + store.path(), e);
      }
      throw new MmkitException("commit failed: file=" + store.path() + ", txid=" + txid, e);
    }
    return meta;
  }

  private void spill(Tree t) {
    for (Tree c : t.children.values()) {
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
      t.rootNode = null;
    }
    t.header = new BucketHeader(root, rootTxid, t.sequence, t.count);
  }

  private List<Entry> spillNode(Node n) {
    if (!n.leaf) {
      EntryList rebuilt = new EntryList(n.entries.size() + 4);
      for (Entry e : n.entries) {
        if (e.child == null) {
          rebuilt.add(e);
        } else {
          for (Entry piece : spillNode(e.child)) {
            rebuilt.add(piece);
          }
        }
      }
      n.entries = rebuilt;
      n.size = PageLayout.HEADER_SIZE;
      for (Entry e : rebuilt) {
        n.size += e.size(false);
      }
    } else {
      for (Entry e : n.entries) {
        if (e.flags == NodeLayout.OVERFLOW && e.page == 0) {
          writeOverflow(e);
        }
      }
    }
    tx.free(n.page);
    List<Entry> out = new ArrayList<>();
    for (List<Entry> piece : partition(n)) {
      long page = free.allocate(1);
      pages.put(page, encode(n, piece, page));
      out.add(Entry.branch(piece.get(0).key, page, txid, null));
    }
    return out;
  }

  private List<List<Entry>> partition(Node n) {
    List<List<Entry>> out = new ArrayList<>();
    if (n.entries.isEmpty()) {
      return out;
    }
    int capacity = pageSize - PageLayout.HEADER_SIZE;
    int total = n.size - PageLayout.HEADER_SIZE;
    int needed = Math.max(1, (total + capacity - 1) / capacity);
    int target = n.appendOnly ? capacity : (total + needed - 1) / needed;
    List<Entry> current = new ArrayList<>();
    int used = 0;
    for (Entry e : n.entries) {
      int size = e.size(n.leaf);
      if (!current.isEmpty() && (used + size > capacity || used >= target)) {
        out.add(current);
        current = new ArrayList<>();
        used = 0;
      }
      current.add(e);
      used += size;
    }
    out.add(current);
    return out;
  }

  private byte[] encode(Node n, List<Entry> piece, long page) {
    byte[] b = new byte[pageSize];
    b[PageLayout.TYPE] = (byte) (n.leaf ? PageLayout.LEAF : PageLayout.BRANCH);
    b[PageLayout.LEVEL] = (byte) n.level;
    Bytes.putU16(b, PageLayout.COUNT, piece.size());
    Bytes.putLong(b, PageLayout.PAGE_ID, page);
    Bytes.putLong(b, PageLayout.TXID, txid);
    int elementSize = n.leaf ? NodeLayout.LEAF_ELEMENT : NodeLayout.BRANCH_ELEMENT;
    int data = PageLayout.HEADER_SIZE + piece.size() * elementSize;
    for (int i = 0; i < piece.size(); i++) {
      Entry e = piece.get(i);
      int el = PageLayout.HEADER_SIZE + i * elementSize;
      if (n.leaf) {
        Bytes.putU16(b, el + NodeLayout.LEAF_KEY_OFFSET, data);
        Bytes.putU16(b, el + NodeLayout.LEAF_KEY_LENGTH, e.key.length);
        Bytes.putInt(b, el + NodeLayout.LEAF_VALUE_LENGTH, e.valueLength());
        b[el + NodeLayout.LEAF_FLAGS] = (byte) e.flags;
        System.arraycopy(e.key, 0, b, data, e.key.length);
        data += e.key.length;
        if (e.flags == NodeLayout.OVERFLOW) {
          Bytes.putLong(b, data, e.page);
          Bytes.putLong(b, data + 8, e.txid);
          data += NodeLayout.OVERFLOW_REF;
        } else {
          System.arraycopy(e.value, 0, b, data, e.value.length);
          data += e.value.length;
        }
      } else {
        Bytes.putLong(b, el + NodeLayout.BRANCH_CHILD, e.page);
        Bytes.putLong(b, el + NodeLayout.BRANCH_CHILD_TXID, e.txid);
        Bytes.putU16(b, el + NodeLayout.BRANCH_KEY_OFFSET, data);
        Bytes.putU16(b, el + NodeLayout.BRANCH_KEY_LENGTH, e.key.length);
        System.arraycopy(e.key, 0, b, data, e.key.length);
        data += e.key.length;
      }
    }
    Bytes.putInt(b, PageLayout.LENGTH, data);
    Checksums.seal(b);
    return b;
  }

  private void writeOverflow(Entry e) {
    long count = NodeLayout.overflowPages(e.length, pageSize);
    long first = free.allocate(count);
    byte[] head = new byte[PageLayout.HEADER_SIZE];
    head[PageLayout.TYPE] = PageLayout.OVERFLOW_TYPE;
    Bytes.putLong(head, PageLayout.PAGE_ID, first);
    Bytes.putLong(head, PageLayout.TXID, txid);
    Bytes.putInt(head, PageLayout.OVERFLOW, (int) (count - 1));
    Bytes.putInt(head, PageLayout.LENGTH, e.length);
    long padding = count * pageSize - PageLayout.HEADER_SIZE - e.length;
    CRC32C crc = new CRC32C();
    crc.update(head, 4, PageLayout.HEADER_SIZE - 4);
    crc.update(e.value);
    crc.update(new byte[(int) padding]);
    Bytes.putInt(head, PageLayout.CHECKSUM, (int) crc.getValue());
    overflows.add(new OverflowWrite(first, head, e.value, padding));
    e.page = first;
    e.txid = txid;
  }

  private void write(Meta meta) throws IOException {
    PageFile f = store.file();
    boolean grew = store.ensureFileSize(meta.pageCount() * pageSize);
    writePages(f);
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
    Durability durability = store.durability();
    if (durability != Durability.NO_SYNC) {
      f.force(grew);
    }
    f.write(ByteBuffer.wrap(meta.encode()), (txid & 1) * pageSize);
    if (durability == Durability.SYNC) {
      f.force(false);
    }
  }

  private void writePages(PageFile f) throws IOException {
    ByteBuffer buf = ByteBuffer.allocateDirect(Math.min(pages.size(), BATCH_PAGES) * pageSize);
    long first = -1;
    long next = -1;
    for (Map.Entry<Long, byte[]> e : pages.entrySet()) {
      long page = e.getKey();
      if (page != next || !buf.hasRemaining()) {
        flush(f, buf, first);
        first = page;
      }
      buf.put(e.getValue());
      next = page + 1;
    }
    flush(f, buf, first);
  }

  private void flush(PageFile f, ByteBuffer buf, long first) throws IOException {
    if (buf.position() > 0) {
      buf.flip();
      f.write(buf, first * pageSize);
      buf.clear();
    }
  }
}
