package dev.mmkit.kv.internal.tree;

import dev.mmkit.kv.internal.page.BranchPage;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.LeafPage;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import dev.mmkit.kv.internal.storage.Snapshot;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * PageCursor walks the leaves of a {@link BucketTree} in key order, through materialized nodes and
 * pages alike, keeping a stack of frames from the root to the current leaf. It visits either the
 * key/value entries or, for bucket listings, only the nested buckets. Each method that reads the
 * mapping does so inside {@link Snapshot#read} itself, so callers need no guard of their own.
 */
public final class PageCursor {
  private final BucketTree tree;
  private final TreeTxn tx;
  private final Snapshot s;
  private final MemorySegment seg;
  private final boolean buckets;
  private Node[] nodes = new Node[8];
  private long[] offs = new long[8];
  private int[] idx = new int[8];
  private int[] cnt = new int[8];
  private int depth;
  private boolean valid;
  private int expectedMod;
  // The current leaf page's elements (key offset, key length, value length, flags), read once
  // under a fence when the leaf is entered, so moves and views inside it need no mapping reads.
  private int[] leaf = new int[4 * 64];
  private long leafOff = -1;
  private byte[] elements = new byte[NodeLayout.LEAF_ELEMENT * 64];

  PageCursor(BucketTree tree, boolean buckets) {
    this.tree = tree;
    this.tx = tree.tx;
    this.s = tx.snapshot();
    this.seg = s.segment();
    this.buckets = buckets;
  }

  /** Returns the tree. */
  public BucketTree tree() {
    return tree;
  }

  /** Moves to the first entry; returns whether there is one. */
  public boolean first() {
    return s.read(this::firstRaw);
  }

  private boolean firstRaw() {
    start(false);
    if (depth == 0) {
      return false;
    }
    descend(false);
    valid = top() > 0 && isLeaf(depth - 1) || stepForward();
    return settleForward();
  }

  /** Moves to the last entry; returns whether there is one. */
  public boolean last() {
    return s.read(this::lastRaw);
  }

  private boolean lastRaw() {
    start(true);
    if (depth == 0) {
      return false;
    }
    descend(true);
    valid = top() > 0 && isLeaf(depth - 1) || stepBackward();
    return settleBackward();
  }

  /** Moves to the first entry whose key is at least {@code key}; returns whether there is one. */
  public boolean seek(byte[] key) {
    return s.read(() -> seekRaw(key));
  }

  private boolean seekRaw(byte[] key) {
    start(false);
    if (depth == 0) {
      return false;
    }
    while (!isLeaf(depth - 1)) {
      int d = depth - 1;
      if (cnt[d] == 0) {
        valid = stepForward();
        return settleForward();
      }
      idx[d] =
          nodes[d] != null
              ? nodes[d].childIndex(key)
              : BranchPage.search(seg, offs[d], cnt[d], key);
      pushChild(d, false);
    }
    int d = depth - 1;
    int i = nodes[d] != null ? nodes[d].search(key) : LeafPage.search(seg, offs[d], cnt[d], key);
    int at = i >= 0 ? i : -i - 1;
    if (at < cnt[d]) {
      idx[d] = at;
      valid = true;
    } else {
      idx[d] = cnt[d] - 1;
      valid = stepForward();
    }
    return settleForward();
  }

  /** Moves to the last entry whose key is at most {@code key}; returns whether there is one. */
  public boolean seekFloor(byte[] key) {
    if (!seek(key)) {
      return last();
    }
    if (compareKey(key) == 0) {
      return true;
    }
    return prev();
  }

  /** Moves to the next entry; returns whether there is one. */
  public boolean next() {
    checkPositioned();
    int d = depth - 1;
    if (idx[d] + 1 < cnt[d]) {
      idx[d]++;
      if (isBucket() == buckets) {
        return true;
      }
    }
    return s.read(
        () -> {
          valid = stepForward();
          return settleForward();
        });
  }

  /** Moves to the previous entry; returns whether there is one. */
  public boolean prev() {
    checkPositioned();
    int d = depth - 1;
    if (idx[d] > 0) {
      idx[d]--;
      if (isBucket() == buckets) {
        return true;
      }
    }
    return s.read(
        () -> {
          valid = stepBackward();
          return settleBackward();
        });
  }

  /** Returns whether the cursor is on an entry. */
  public boolean valid() {
    return valid && expectedMod == tree.modCount;
  }

  private void start(boolean last) {
    tree.check();
    expectedMod = tree.modCount;
    depth = 0;
    valid = false;
    if (tree.rootNode != null) {
      push(tree.rootNode, -1, last);
    } else if (tree.header.root() != 0) {
      push(null, s.node(tree.header.root(), tree.header.rootTxid(), -1), last);
    }
  }

  private void checkPositioned() {
    tree.check();
    if (expectedMod != tree.modCount) {
      throw new IllegalStateException(
          "bucket changed since the cursor was positioned; position it again: bucket="
              + tree.describeName());
    }
    if (!valid) {
      throw new IllegalStateException("cursor is not on an entry");
    }
  }

  private int top() {
    return cnt[depth - 1];
  }

  private void push(Node n, long off, boolean last) {
    if (depth == nodes.length) {
      int size = depth * 2;
      nodes = Arrays.copyOf(nodes, size);
      offs = Arrays.copyOf(offs, size);
      idx = Arrays.copyOf(idx, size);
      cnt = Arrays.copyOf(cnt, size);
    }
    nodes[depth] = n;
    offs[depth] = off;
    int c = n != null ? n.entries.size() : Bytes.getU16(seg, off + PageLayout.COUNT);
    cnt[depth] = c;
    idx[depth] = last ? c - 1 : 0;
    depth++;
    if (n == null && Bytes.getU8(seg, off + PageLayout.TYPE) == PageLayout.LEAF) {
      cacheLeaf(off, c);
    }
  }

  private void cacheLeaf(long off, int count) {
    if (leaf.length < count * 4) {
      leaf = new int[count * 4];
    }
    int bytes = count * NodeLayout.LEAF_ELEMENT;
    if (elements.length < bytes) {
      elements = new byte[bytes];
    }
    // One bulk copy of the element area, decoded from the heap (fenced by the caller's read).
    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, LeafPage.element(off, 0), elements, 0, bytes);
    for (int i = 0, el = 0; i < count; i++, el += NodeLayout.LEAF_ELEMENT) {
      leaf[4 * i] = Bytes.getU16(elements, el + NodeLayout.LEAF_KEY_OFFSET);
      leaf[4 * i + 1] = Bytes.getU16(elements, el + NodeLayout.LEAF_KEY_LENGTH);
      leaf[4 * i + 2] = Bytes.getInt(elements, el + NodeLayout.LEAF_VALUE_LENGTH);
      leaf[4 * i + 3] = elements[el + NodeLayout.LEAF_FLAGS] & 0xFF;
    }
    leafOff = off;
  }

  private boolean isLeaf(int d) {
    return nodes[d] != null
        ? nodes[d].leaf
        : Bytes.getU8(seg, offs[d] + PageLayout.TYPE) == PageLayout.LEAF;
  }

  private void pushChild(int d, boolean last) {
    if (nodes[d] != null) {
      Node n = nodes[d];
      Entry e = n.entries.get(idx[d]);
      if (e.child != null) {
        push(e.child, -1, last);
      } else {
        push(null, s.node(e.page, e.txid, n.level - 1), last);
      }
    } else {
      long el = BranchPage.element(offs[d], idx[d]);
      int level = Bytes.getU8(seg, offs[d] + PageLayout.LEVEL) - 1;
      push(
          null,
          s.node(BranchPage.childPage(seg, el), BranchPage.childTxid(seg, el), level, offs[d]),
          last);
    }
  }

  private void descend(boolean last) {
    while (!isLeaf(depth - 1) && cnt[depth - 1] > 0) {
      pushChild(depth - 1, last);
    }
  }

  private boolean stepForward() {
    while (true) {
      int d = depth - 1;
      while (d >= 0 && idx[d] + 1 >= cnt[d]) {
        d--;
      }
      if (d < 0) {
        return false;
      }
      idx[d]++;
      depth = d + 1;
      descend(false);
      if (top() > 0 && isLeaf(depth - 1)) {
        return true;
      }
    }
  }

  private boolean stepBackward() {
    while (true) {
      int d = depth - 1;
      while (d >= 0 && idx[d] <= 0) {
        d--;
      }
      if (d < 0) {
        return false;
      }
      idx[d]--;
      depth = d + 1;
      descend(true);
      if (top() > 0 && isLeaf(depth - 1)) {
        return true;
      }
    }
  }

  private boolean settleForward() {
    while (valid && isBucket() != buckets) {
      valid = stepForward();
    }
    return valid;
  }

  private boolean settleBackward() {
    while (valid && isBucket() != buckets) {
      valid = stepBackward();
    }
    return valid;
  }

  private boolean isBucket() {
    int d = depth - 1;
    int flags = nodes[d] != null ? nodes[d].entries.flags(idx[d]) : leaf[4 * idx[d] + 3];
    return flags == NodeLayout.BUCKET;
  }

  private Entry entry() {
    int d = depth - 1;
    return nodes[d] != null ? nodes[d].entries.get(idx[d]) : null;
  }

  /** Returns the index of the current element in the cached leaf page. */
  private int cached() {
    return 4 * idx[depth - 1];
  }

  /** Returns a view of the current key, valid until the transaction ends. */
  public MemorySegment key() {
    checkPositioned();
    Entry e = entry();
    if (e != null) {
      return tx.view(e.key);
    }
    int i = cached();
    return tx.view(leafOff + leaf[i], leaf[i + 1]);
  }

  /** Returns a copy of the current key. */
  public byte[] keyBytes() {
    checkPositioned();
    Entry e = entry();
    if (e != null) {
      return e.key.clone();
    }
    int i = cached();
    return s.read(() -> Bytes.copy(seg, leafOff + leaf[i], leaf[i + 1]));
  }

  /** Compares the current key with {@code key}. */
  public int compareKey(byte[] key) {
    checkPositioned();
    Entry e = entry();
    if (e != null) {
      return Bytes.compare(e.key, key);
    }
    int i = cached();
    return s.read(() -> Bytes.compare(seg, leafOff + leaf[i], leaf[i + 1], key));
  }

  /** Returns a view of the current value, valid until the transaction ends. */
  public MemorySegment value() {
    checkPositioned();
    Entry e = entry();
    if (e == null) {
      return cachedValue(cached());
    }
    return s.read(() -> LeafValues.view(tx, e));
  }

  /** Returns a view of the value of element {@code i} (times 4) of the cached leaf page. */
  private MemorySegment cachedValue(int i) {
    long at = leafOff + leaf[i] + leaf[i + 1];
    long length = leaf[i + 2] & 0xFFFFFFFFL;
    if (leaf[i + 3] == NodeLayout.INLINE) {
      return tx.view(at, length);
    }
    return s.read(
        () ->
            tx.view(
                s.overflow(Bytes.getLong(seg, at), Bytes.getLong(seg, at + 8), length), length));
  }

  /** Receives the entries of {@link #forEachForward}: views valid until the transaction ends. */
  @FunctionalInterface
  public interface Sink {
    /** Receives one entry; returns whether to go on. */
    boolean accept(MemorySegment key, MemorySegment value);
  }

  /**
   * Visits the current entry and those after it, while their keys are at most {@code upper} (below
   * it unless {@code upperInclusive}; no bound when null), until {@code sink} returns false;
   * returns the number visited. Within a leaf page it checks the transaction once per entry and
   * bounds the page's keys with one guarded read, instead of guarding every move.
   */
  public long forEachForward(byte[] upper, boolean upperInclusive, Sink sink) {
    long visited = 0;
    boolean ok = valid();
    while (ok) {
      checkPositioned();
      int d = depth - 1;
      if (nodes[d] != null || buckets) {
        if (upper != null && beyond(compareKey(upper), upperInclusive)) {
          return visited;
        }
        visited++;
        if (!sink.accept(key(), value())) {
          return visited;
        }
        ok = next();
        continue;
      }
      int end = upper == null ? cnt[d] : s.read(() -> leafLimit(upper, upperInclusive));
      int mod = expectedMod;
      for (int i = idx[d]; i < end; i++) {
        idx[d] = i;
        if (leaf[4 * i + 3] == NodeLayout.BUCKET) {
          continue;
        }
        tx.check();
        if (mod != tree.modCount) {
          checkPositioned(); // The sink changed the bucket: fail as a move would.
        }
        visited++;
        int at = 4 * i;
        if (!sink.accept(tx.view(leafOff + leaf[at], leaf[at + 1]), cachedValue(at))) {
          return visited;
        }
      }
      if (end < cnt[d]) {
        idx[d] = end;
        return visited;
      }
      idx[d] = cnt[d] - 1;
      ok =
          s.read(
              () -> {
                valid = stepForward();
                return settleForward();
              });
    }
    return visited;
  }

  private static boolean beyond(int comparedToUpper, boolean upperInclusive) {
    return comparedToUpper > 0 || (comparedToUpper == 0 && !upperInclusive);
  }

  /**
   * Returns the index of the first element of the cached leaf from the current one beyond upper.
   */
  private int leafLimit(byte[] upper, boolean upperInclusive) {
    int d = depth - 1;
    for (int i = idx[d]; i < cnt[d]; i++) {
      int c = Bytes.compare(seg, leafOff + leaf[4 * i], leaf[4 * i + 1], upper);
      if (beyond(c, upperInclusive)) {
        return i;
      }
    }
    return cnt[d];
  }

  /** Returns a copy of the current value. */
  public byte[] valueBytes() {
    checkPositioned();
    Entry e = entry();
    if (e == null) {
      long el = LeafPage.element(leafOff, idx[depth - 1]);
      return s.read(() -> LeafValues.copy(tx, el));
    }
    return s.read(() -> LeafValues.copy(tx, e));
  }
}
