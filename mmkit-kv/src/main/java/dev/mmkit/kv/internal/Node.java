package dev.mmkit.kv.internal;

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
  EntryList entries;

  /** Bytes the node would take in one page, header included. */
  int size = PageLayout.HEADER_SIZE;

  /** Whether every insert so far went to the end, so pages may be filled completely. */
  boolean appendOnly = true;

  Node(boolean leaf, int level, int capacity) {
    this.leaf = leaf;
    this.level = level;
    this.entries = new EntryList(capacity);
  }

  /** Reads the verified node page at {@code off} of the raw segment. */
  static Node read(MemorySegment seg, long off, long page) {
    int type = Bytes.getU8(seg, off + PageLayout.TYPE);
    int level = Bytes.getU8(seg, off + PageLayout.LEVEL);
    int count = Bytes.getU16(seg, off + PageLayout.COUNT);
    boolean leaf = type == PageLayout.LEAF;
    Node n = new Node(leaf, level, count + 8);
    n.page = page;
    n.txid = Bytes.getLong(seg, off + PageLayout.TXID);
    for (int i = 0; i < count; i++) {
      Entry e = new Entry();
      if (leaf) {
        long el = PageSearch.leafElement(off, i);
        int keyOff = Bytes.getU16(seg, el + NodeLayout.LEAF_KEY_OFFSET);
        int keyLen = Bytes.getU16(seg, el + NodeLayout.LEAF_KEY_LENGTH);
        int valueLen = Bytes.getInt(seg, el + NodeLayout.LEAF_VALUE_LENGTH);
        e.flags = Bytes.getU8(seg, el + NodeLayout.LEAF_FLAGS);
        e.key = PageValues.bytes(seg, off + keyOff, keyLen);
        long at = off + keyOff + keyLen;
        switch (e.flags) {
          case NodeLayout.INLINE -> e.value = PageValues.bytes(seg, at, valueLen);
          case NodeLayout.OVERFLOW -> {
            e.page = Bytes.getLong(seg, at);
            e.txid = Bytes.getLong(seg, at + 8);
            e.length = valueLen;
          }
          default -> e.value = PageValues.bytes(seg, at, NodeLayout.BUCKET_HEADER);
        }
      } else {
        long el = PageSearch.branchElement(off, i);
        e.page = Bytes.getLong(seg, el + NodeLayout.BRANCH_CHILD);
        e.txid = Bytes.getLong(seg, el + NodeLayout.BRANCH_CHILD_TXID);
        int keyOff = Bytes.getU16(seg, el + NodeLayout.BRANCH_KEY_OFFSET);
        int keyLen = Bytes.getU16(seg, el + NodeLayout.BRANCH_KEY_LENGTH);
        e.key = PageValues.bytes(seg, off + keyOff, keyLen);
      }
      n.entries.add(e);
      n.size += e.size(leaf);
    }
    return n;
  }

  /** Returns the index of {@code key}, or {@code -(insertion point) - 1}. */
  int search(byte[] key) {
    return entries.search(key);
  }

  /** Returns the index of the child of this branch that covers {@code key}. */
  int childIndex(byte[] key) {
    return PageSearch.coveringChild(search(key));
  }

  /** Inserts or replaces at the position {@link #search} returned; returns the replaced entry. */
  Entry place(int searched, Entry e) {
    if (searched >= 0) {
      Entry old = entries.set(searched, e);
      size += e.size(leaf) - old.size(leaf);
      return old;
    }
    int at = -searched - 1;
    if (at != entries.size()) {
      appendOnly = false;
    }
    entries.add(at, e);
    size += e.size(leaf);
    return null;
  }

  Entry removeAt(int index) {
    Entry old = entries.remove(index);
    size -= old.size(leaf);
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
    Node right = new Node(leaf, level, entries.size() - index + 8);
    for (int i = index; i < entries.size(); i++) {
      right.entries.add(entries.get(i));
    }
    entries.truncate(index);
    for (Entry e : right.entries) {
      int s = e.size(leaf);
      size -= s;
      right.size += s;
      if (e.child != null) {
        e.child.parent = right;
      }
    }
    right.appendOnly = appendOnly;
    return right;
  }

  /** Appends every entry of {@code other}, a right sibling at the same level. */
  void absorb(Node other) {
    for (Entry e : other.entries) {
      entries.add(e);
      size += e.size(leaf);
      if (e.child != null) {
        e.child.parent = this;
      }
    }
    other.entries.clear();
    other.size = PageLayout.HEADER_SIZE;
    appendOnly = false;
  }
}
