package dev.mmkit.kv.internal.tree;

import dev.mmkit.kv.internal.page.BranchPage;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import java.lang.foreign.MemorySegment;

/**
 * Node is a B+tree node materialized in memory by a write transaction: a copy of a page (or a new
 * node) that the transaction changes and writes to new pages when it commits. Only nodes on the
 * paths of changed keys are materialized; the rest of the tree stays on its pages.
 */
final class Node {
  final boolean leaf;
  final int level;

  /** The page this node was read from, or 0 for a new node. */
  long page;

  long txid;
  Node parent;
  NodeEntries entries;

  /** Bytes the node would take in one page, header included. */
  int size = PageLayout.HEADER_SIZE;

  /** Whether every insert so far went to the end, so pages may be filled completely. */
  boolean appendOnly = true;

  Node(boolean leaf, int level, int capacity) {
    this.leaf = leaf;
    this.level = level;
    this.entries = leaf ? new LeafEntries(capacity, capacity * 32) : new BranchEntries(capacity);
  }

  /** Reads the verified node page at {@code off} of the raw segment. */
  static Node read(MemorySegment seg, long off, long page) {
    int type = Bytes.getU8(seg, off + PageLayout.TYPE);
    int level = Bytes.getU8(seg, off + PageLayout.LEVEL);
    int count = Bytes.getU16(seg, off + PageLayout.COUNT);
    boolean leaf = type == PageLayout.LEAF;
    Node n = new Node(leaf, level, leaf ? 0 : count + 8);
    n.page = page;
    n.txid = Bytes.getLong(seg, off + PageLayout.TXID);
    if (leaf) {
      n.entries = LeafEntries.read(seg, off, count);
    } else {
      for (int i = 0; i < count; i++) {
        long el = BranchPage.element(off, i);
        n.entries.add(
            Entry.branch(
                BranchPage.key(seg, off, el),
                BranchPage.childPage(seg, el),
                BranchPage.childTxid(seg, el),
                null));
      }
    }
    for (int i = 0; i < count; i++) {
      n.size += n.entries.entrySize(i);
    }
    return n;
  }

  /** Returns the index of {@code key}, or {@code -(insertion point) - 1}. */
  int search(byte[] key) {
    return entries.search(key);
  }

  /** Returns the index of the child of this branch that covers {@code key}. */
  int childIndex(byte[] key) {
    return BranchPage.coveringChild(search(key));
  }

  /** Inserts or replaces at the position {@link #search} returned. */
  void place(int searched, Entry e) {
    if (searched >= 0) {
      size += e.size(leaf) - entries.entrySize(searched);
      entries.set(searched, e);
      return;
    }
    int at = -searched - 1;
    if (at != entries.size()) {
      appendOnly = false;
    }
    entries.add(at, e);
    size += e.size(leaf);
  }

  /**
   * Inserts or replaces, at the position {@link #search} returned, an inline value in this leaf;
   * the leaf copies both arrays.
   */
  void placeInline(int searched, byte[] key, byte[] value) {
    LeafEntries l = (LeafEntries) entries;
    int entrySize = NodeLayout.LEAF_ELEMENT + key.length + value.length;
    if (searched >= 0) {
      size += entrySize - l.entrySize(searched);
      l.setInline(searched, key, value);
      return;
    }
    int at = -searched - 1;
    if (at != l.size()) {
      appendOnly = false;
    }
    l.addInline(at, key, value);
    size += entrySize;
  }

  /**
   * Lowers the first separator of this branch to {@code key} when {@code key} sorts before it; the
   * size changes with the key's length.
   */
  void lowerFirstSeparator(byte[] key) {
    byte[] first = entries.key(0);
    if (Bytes.compare(key, first) < 0) {
      size += key.length - first.length;
      ((BranchEntries) entries).setKey(0, key.clone());
    }
  }

  /** Removes entry {@code index} and returns it. */
  Entry removeAt(int index) {
    Entry old = entries.get(index);
    size -= entries.entrySize(index);
    entries.remove(index);
    appendOnly = false;
    return old;
  }

  /** Returns the index of the entry whose materialized child is {@code child}. */
  int indexOfChild(Node child) {
    for (int i = 0; i < entries.size(); i++) {
      if (entries.get(i).child == child) {
        return i;
      }
    }
    throw new IllegalStateException("child not found in its parent");
  }

  /** Moves the entries from {@code index} on into a new sibling and returns it. */
  Node splitOff(int index) {
    Node right = new Node(leaf, level, leaf ? 0 : entries.size() - index + 8);
    if (leaf) {
      right.entries = ((LeafEntries) entries).splitOff(index);
    } else {
      for (int i = index; i < entries.size(); i++) {
        right.entries.add(entries.get(i));
      }
      entries.truncate(index);
    }
    for (int i = 0; i < right.entries.size(); i++) {
      int s = right.entries.entrySize(i);
      size -= s;
      right.size += s;
      Node child = leaf ? null : right.entries.get(i).child;
      if (child != null) {
        child.parent = right;
      }
    }
    right.appendOnly = appendOnly;
    return right;
  }

  /** Appends every entry of {@code other}, a right sibling at the same level. */
  void absorb(Node other) {
    if (leaf) {
      ((LeafEntries) entries).appendAll((LeafEntries) other.entries, 0);
    } else {
      for (Entry e : other.entries) {
        entries.add(e);
        if (e.child != null) {
          e.child.parent = this;
        }
      }
    }
    size += other.size - PageLayout.HEADER_SIZE;
    other.entries.truncate(0);
    other.size = PageLayout.HEADER_SIZE;
    appendOnly = false;
  }
}
