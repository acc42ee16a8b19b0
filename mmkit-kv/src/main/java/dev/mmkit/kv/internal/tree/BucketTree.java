package dev.mmkit.kv.internal.tree;

import dev.mmkit.core.ClosedException;
import dev.mmkit.kv.internal.page.BranchPage;
import dev.mmkit.kv.internal.page.BucketHeader;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.LeafPage;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import dev.mmkit.kv.internal.storage.BranchIndex;
import dev.mmkit.kv.internal.storage.Snapshot;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;

/**
 * BucketTree is a bucket inside one transaction: a copy-on-write B+tree read from its pages and,
 * once written to, partly materialized as {@link Node}s. It also keeps the nested buckets opened
 * through it, so that their changes reach their headers when the transaction commits.
 */
public final class BucketTree {
  final TreeTxn tx;
  final BucketTree parent;
  final byte[] name;

  /** How deep this bucket is nested: 0 for the root bucket, 1 for a bucket in it. */
  final int depth;

  BucketHeader header;
  long sequence;
  long count;
  Node rootNode;
  boolean dirty;
  boolean deleted;
  int modCount;
  final TreeMap<byte[], BucketTree> children = new TreeMap<>(Arrays::compareUnsigned);

  /**
   * Hit is where {@link #find} found a key: entry {@code index} of the materialized leaf {@code
   * node}, or, when {@code node} is null, of a leaf page in the mapping, whose element is at offset
   * {@code element}. A page hit is read only inside the {@link Snapshot#read} that found it.
   */
  private record Hit(Node node, int index, long element) {}

  /**
   * Returns bucket {@code name} of {@code parent} (both null for the root bucket) in {@code tx},
   * starting from {@code header}.
   */
  public BucketTree(TreeTxn tx, BucketTree parent, byte[] name, BucketHeader header) {
    this.tx = tx;
    this.parent = parent;
    this.name = name;
    this.depth = parent == null ? 0 : parent.depth + 1;
    this.header = header;
    this.sequence = header.sequence();
    this.count = header.count();
  }

  /** Returns the bucket's header as of its last spill, or as read when it has not been spilled. */
  public BucketHeader header() {
    return header;
  }

  /** Returns whether the bucket, or a bucket nested in it, changed in this transaction. */
  public boolean dirty() {
    return dirty;
  }

  /** Fails unless the transaction is usable and the bucket still exists. */
  public void check() {
    tx.check();
    if (deleted) {
      throw new ClosedException("bucket was deleted: bucket=" + describeName());
    }
  }

  /** Returns the bucket's name, or null for the root bucket. */
  public byte[] name() {
    return name == null ? null : name.clone();
  }

  String describeName() {
    return name == null ? "(root)" : Bytes.describe(name);
  }

  /** Returns the number of keys (nested buckets not counted). */
  public long count() {
    check();
    return count;
  }

  /** Returns the bucket's sequence. */
  public long sequence() {
    check();
    return sequence;
  }

  /** Increments the sequence and returns the new value. */
  public long nextSequence() {
    tx.checkWritable();
    check();
    sequence++;
    markDirty();
    return sequence;
  }

  /** Sets the sequence. */
  public void setSequence(long value) {
    tx.checkWritable();
    check();
    sequence = value;
    markDirty();
  }

  void markDirty() {
    for (BucketTree t = this; t != null && !t.dirty; t = t.parent) {
      t.dirty = true;
    }
  }

  /** Returns a view of the value of {@code key}, or null when absent or a bucket. */
  public MemorySegment get(byte[] key) {
    check();
    return tx.snapshot()
        .read(
            () -> {
              Hit hit = find(key);
              return hit != null ? valueView(hit) : null;
            });
  }

  /** Returns a copy of the value of {@code key}, or null when absent or a bucket. */
  public byte[] getBytes(byte[] key) {
    check();
    return tx.snapshot()
        .read(
            () -> {
              Hit hit = find(key);
              return hit != null ? valueCopy(hit) : null;
            });
  }

  /** Returns whether {@code key} holds a value (not a bucket). */
  public boolean containsKey(byte[] key) {
    check();
    return tx.snapshot()
        .read(
            () -> {
              Hit hit = find(key);
              return hit != null && flags(hit) != NodeLayout.BUCKET;
            });
  }

  /** Returns where {@code key} is, or null when it is absent. */
  private Hit find(byte[] key) {
    Node n = rootNode;
    if (n == null) {
      return header.root() != 0 ? findInPages(header.root(), header.rootTxid(), -1, key) : null;
    }
    while (!n.leaf) {
      if (n.entries.isEmpty()) {
        return null;
      }
      Entry e = n.entries.get(n.childIndex(key));
      if (e.child == null) {
        return findInPages(e.page, e.txid, n.level - 1, key);
      }
      n = e.child;
    }
    int i = n.search(key);
    return i >= 0 ? new Hit(n, i, -1) : null;
  }

  private Hit findInPages(long page, long pageTxid, int level, byte[] key) {
    Snapshot s = tx.snapshot();
    MemorySegment seg = s.segment();
    long prefix = Bytes.prefix(key);
    long from = -1;
    while (true) {
      BranchIndex.Decoded b = s.indexedBranch(page, pageTxid, level);
      if (b == null) {
        long off = s.node(page, pageTxid, level, from);
        if (Bytes.getU8(seg, off + PageLayout.TYPE) == PageLayout.LEAF) {
          int i = LeafPage.search(seg, off, Bytes.getU16(seg, off + PageLayout.COUNT), key);
          return i >= 0 ? new Hit(null, i, LeafPage.element(off, i)) : null;
        }
        b = s.branch(page, pageTxid, off);
        if (b == null) {
          int i = BranchPage.search(seg, off, Bytes.getU16(seg, off + PageLayout.COUNT), key);
          long el = BranchPage.element(off, i);
          from = off;
          page = BranchPage.childPage(seg, el);
          pageTxid = BranchPage.childTxid(seg, el);
          level = Bytes.getU8(seg, off + PageLayout.LEVEL) - 1;
          continue;
        }
      }
      from = page * s.pageSize();
      int i = b.childIndex(seg, from, key, prefix);
      page = b.children[i];
      pageTxid = b.childTxids[i];
      level = b.level - 1;
    }
  }

  private int flags(Hit hit) {
    if (hit.node() != null) {
      return hit.node().entries.flags(hit.index());
    }
    return LeafPage.flags(tx.snapshot().segment(), hit.element());
  }

  private MemorySegment valueView(Hit hit) {
    if (hit.node() != null) {
      return LeafValues.view(tx, hit.node().entries.get(hit.index()));
    }
    return LeafValues.view(tx, hit.element());
  }

  private byte[] valueCopy(Hit hit) {
    if (hit.node() != null) {
      return LeafValues.copy(tx, hit.node().entries.get(hit.index()));
    }
    return LeafValues.copy(tx, hit.element());
  }

  /** Stores {@code value} under {@code key}, replacing any value. */
  public void put(byte[] key, byte[] value) {
    tx.checkWritable();
    check();
    Keys.checkKey(key);
    Keys.checkValue(value.length);
    // A leaf copies inline entries (LeafEntries); only a large value waits, as a copy.
    boolean inline = NodeLayout.LEAF_ELEMENT + key.length + value.length <= tx.maxInline();
    // No guard here: the only mapping reads are those of materialize, which guards its own.
    Node leaf = materializePath(key);
    int i = leaf.search(key);
    if (i >= 0) {
      int oldFlags = leaf.entries.flags(i);
      if (oldFlags == NodeLayout.BUCKET) {
        throw new IllegalStateException(
            "key names a bucket; delete the bucket first: key=" + Bytes.describe(key));
      }
      if (oldFlags == NodeLayout.OVERFLOW) {
        freeValue(leaf.entries.get(i));
      }
    } else {
      count++;
    }
    if (inline) {
      leaf.placeInline(i, key, value);
    } else {
      leaf.place(i, Entry.bigValue(key.clone(), value.clone()));
    }
    splitIfNeeded(leaf);
    modCount++;
    markDirty();
  }

  /** Deletes {@code key}; returns whether it held a value. */
  public boolean delete(byte[] key) {
    tx.checkWritable();
    check();
    return tx.snapshot()
        .read(
            () -> {
              Hit hit = find(key);
              if (hit == null) {
                return false;
              }
              if (flags(hit) == NodeLayout.BUCKET) {
                throw new IllegalStateException(
                    "key names a bucket; use deleteBucket: key=" + Bytes.describe(key));
              }
              Node leaf = materializePath(key);
              Entry old = leaf.removeAt(leaf.search(key));
              freeValue(old);
              count--;
              modCount++;
              markDirty();
              return true;
            });
  }

  private void freeValue(Entry old) {
    if (old.flags == NodeLayout.OVERFLOW && old.page != 0) {
      tx.freeRun(old.page, NodeLayout.overflowPages(old.length, tx.pageSize()));
    }
  }

  /**
   * Materializes the nodes from the root to the leaf that covers {@code key}, ready for {@code key}
   * to be placed there: on the way down, a first separator above {@code key} is lowered to it.
   * Every separator then stays at or below every key under it, so when a first child splits, the
   * separator of its new right sibling still sorts after the first one.
   */
  Node materializePath(byte[] key) {
    Node n = rootNode;
    if (n == null) {
      n =
          header.root() == 0
              ? new Node(true, 0, 16)
              : materialize(header.root(), header.rootTxid(), -1);
      rootNode = n;
    }
    while (!n.leaf) {
      int i = n.childIndex(key);
      if (i == 0) {
        n.lowerFirstSeparator(key);
      }
      n = child(n, n.entries.get(i));
    }
    return n;
  }

  /** Splits {@code n} and its ancestors while they exceed the in-memory node limit. */
  private void splitIfNeeded(Node n) {
    while (n != null && n.size > tx.maxNodeBytes()) {
      int at = Math.max(1, Math.min(n.entries.size() - 1, splitIndex(n)));
      Node right = n.splitOff(at);
      Node p = n.parent;
      if (p == null) {
        p = new Node(false, n.level + 1, 8);
        p.place(-1, Entry.branch(n.entries.key(0), n.page, n.txid, n));
        n.parent = p;
        rootNode = p;
      }
      int idx = p.indexOfChild(n);
      p.place(-(idx + 2), Entry.branch(right.entries.key(0), 0, 0, right));
      right.parent = p;
      n = p;
    }
  }

  /**
   * Returns where to split an oversized node: in the middle by size, or, for a node only appended
   * to, at the start of the last page a greedy packing would fill, so the left part packs into full
   * pages and appending goes on in the right one.
   */
  private int splitIndex(Node n) {
    int capacity = tx.pageSize() - PageLayout.HEADER_SIZE;
    int used = 0;
    int at = 0;
    int lastPageStart = 0;
    int half = (n.size - PageLayout.HEADER_SIZE) / 2;
    int total = 0;
    for (int i = 0; i < n.entries.size(); i++) {
      int size = n.entries.entrySize(i);
      if (!n.appendOnly && total + size > half) {
        return i;
      }
      total += size;
      if (used + size > capacity) {
        lastPageStart = i;
        used = 0;
      }
      used += size;
      at = lastPageStart;
    }
    return at;
  }

  // ---- nested buckets ----

  /** Returns the nested bucket {@code name}, or null when there is none. */
  public BucketTree bucket(byte[] name) {
    check();
    BucketTree t = children.get(name);
    if (t != null) {
      return t;
    }
    BucketHeader h =
        tx.snapshot()
            .read(
                () -> {
                  Hit hit = find(name);
                  return hit != null && flags(hit) == NodeLayout.BUCKET ? bucketHeader(hit) : null;
                });
    if (h == null) {
      return null;
    }
    byte[] copy = name.clone();
    t = new BucketTree(tx, this, copy, h);
    children.put(copy, t);
    return t;
  }

  private BucketHeader bucketHeader(Hit hit) {
    if (hit.node() != null) {
      return BucketHeader.read(hit.node().entries.get(hit.index()).value, 0);
    }
    Snapshot s = tx.snapshot();
    return BucketHeader.read(
        s.segment(), LeafPage.valueOffset(s.segment(), hit.element(), s.pageSize()));
  }

  /**
   * Creates nested bucket {@code name}; with {@code ifAbsent} returns an existing one instead of
   * failing.
   */
  public BucketTree createBucket(byte[] name, boolean ifAbsent) {
    tx.checkWritable();
    check();
    Keys.checkKey(name);
    if (depth + 1 > NodeLayout.MAX_BUCKET_DEPTH) {
      throw new IllegalArgumentException(
          "buckets nested too deep: depth="
              + (depth + 1)
              + ", max="
              + NodeLayout.MAX_BUCKET_DEPTH
              + ", bucket="
              + Bytes.describe(name));
    }
    BucketTree existing = bucket(name);
    if (existing != null) {
      if (ifAbsent) {
        return existing;
      }
      throw new IllegalStateException("bucket exists: bucket=" + Bytes.describe(name));
    }
    byte[] copy = name.clone();
    tx.snapshot()
        .read(
            () -> {
              if (find(copy) != null) {
                throw new IllegalStateException(
                    "key exists and is not a bucket: key=" + Bytes.describe(copy));
              }
              Node leaf = materializePath(copy);
              leaf.place(leaf.search(copy), Entry.bucket(copy, BucketHeader.EMPTY));
              splitIfNeeded(leaf);
              return null;
            });
    BucketTree t = new BucketTree(tx, this, copy, BucketHeader.EMPTY);
    children.put(copy, t);
    modCount++;
    t.markDirty();
    return t;
  }

  /** Deletes nested bucket {@code name} and everything in it; returns whether it existed. */
  public boolean deleteBucket(byte[] name) {
    tx.checkWritable();
    check();
    BucketTree t = bucket(name);
    if (t == null) {
      return false;
    }
    tx.snapshot()
        .read(
            () -> {
              PageWalker.freeTree(tx, t.header);
              Node leaf = materializePath(t.name);
              leaf.removeAt(leaf.search(t.name));
              return null;
            });
    t.markDeleted();
    children.remove(t.name);
    modCount++;
    markDirty();
    return true;
  }

  private void markDeleted() {
    deleted = true;
    for (BucketTree c : children.values()) {
      c.markDeleted();
    }
  }

  /** Returns the names of the nested buckets, in key order. */
  public List<byte[]> bucketNames() {
    check();
    List<byte[]> names = new ArrayList<>();
    PageCursor c = new PageCursor(this, true);
    for (boolean ok = c.first(); ok; ok = c.next()) {
      names.add(c.keyBytes());
    }
    return names;
  }

  /** Returns a cursor over the key/value entries. */
  public PageCursor cursor() {
    check();
    return new PageCursor(this, false);
  }

  // ---- commit support ----

  /** Writes the header of a spilled child bucket into this tree. */
  void storeChildHeader(BucketTree child) {
    Node leaf = materializePath(child.name);
    int i = leaf.search(child.name);
    if (i < 0 || leaf.entries.flags(i) != NodeLayout.BUCKET) {
      throw new IllegalStateException("bucket entry vanished: bucket=" + child.describeName());
    }
    leaf.place(i, Entry.bucket(child.name, child.header));
  }

  /** Returns the child node of {@code e}, an entry of {@code branch}, materializing it. */
  Node child(Node branch, Entry e) {
    if (e.child == null) {
      e.child = materialize(e.page, e.txid, branch.level - 1);
      e.child.parent = branch;
    }
    return e.child;
  }

  /** Reads page {@code page}, which must carry {@code pageTxid}, into a new node. */
  private Node materialize(long page, long pageTxid, int level) {
    Snapshot s = tx.snapshot();
    return s.read(() -> Node.read(s.segment(), s.node(page, pageTxid, level), page));
  }

  /** Merges underfilled nodes and collapses a thin root, before spilling. */
  void rebalance() {
    if (rootNode == null) {
      return;
    }
    rebalance(rootNode);
    while (rootNode != null) {
      Node r = rootNode;
      if (r.entries.isEmpty()) {
        tx.free(r.page);
        rootNode = null;
        header = header.withRoot(0, 0);
      } else if (!r.leaf && r.entries.size() == 1) {
        Entry only = r.entries.get(0);
        tx.free(r.page);
        if (only.child != null) {
          rootNode = only.child;
          rootNode.parent = null;
        } else {
          rootNode = null;
          header = header.withRoot(only.page, only.txid);
        }
      } else {
        break;
      }
    }
  }

  private void rebalance(Node n) {
    if (n.leaf) {
      return;
    }
    for (Entry e : n.entries) {
      if (e.child != null) {
        rebalance(e.child);
      }
    }
    int threshold = tx.pageSize() / 4;
    int i = 0;
    while (i < n.entries.size()) {
      Node c = n.entries.get(i).child;
      if (c == null) {
        i++;
        continue;
      }
      if (c.entries.isEmpty()) {
        tx.free(c.page);
        n.removeAt(i);
        continue;
      }
      boolean thin = c.size < threshold || (!c.leaf && c.entries.size() < 2);
      if (!thin || n.entries.size() == 1) {
        i++;
        continue;
      }
      if (i + 1 < n.entries.size()) {
        Node right = child(n, n.entries.get(i + 1));
        c.absorb(right);
        tx.free(right.page);
        n.removeAt(i + 1);
      } else {
        Node left = child(n, n.entries.get(i - 1));
        left.absorb(c);
        tx.free(c.page);
        n.removeAt(i);
        i--;
      }
    }
  }
}
