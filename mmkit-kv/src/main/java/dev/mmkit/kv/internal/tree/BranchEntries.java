package dev.mmkit.kv.internal.tree;

import dev.mmkit.kv.internal.page.BranchPage;
import dev.mmkit.kv.internal.page.Bytes;
import java.util.Arrays;

/**
 * BranchEntries holds the entries of a materialized branch {@link Node} in key order, with the
 * first 8 bytes of each key as an unsigned long in a parallel array: a binary search compares those
 * first and touches the key arrays only on a tie, which keeps searches of large in-memory nodes in
 * a few cache lines.
 */
final class BranchEntries extends NodeEntries implements BranchPage.Children {
  private Entry[] entries;
  private long[] prefixes;
  private int size;

  BranchEntries(int capacity) {
    entries = new Entry[Math.max(4, capacity)];
    prefixes = new long[entries.length];
  }

  @Override
  Entry get(int i) {
    return entries[i];
  }

  @Override
  public byte[] key(int i) {
    return entries[i].key;
  }

  @Override
  public long childPage(int i) {
    return entries[i].page;
  }

  @Override
  public long childTxid(int i) {
    return entries[i].txid;
  }

  @Override
  int flags(int i) {
    return entries[i].flags;
  }

  @Override
  int entrySize(int i) {
    return entries[i].size(false);
  }

  @Override
  int size() {
    return size;
  }

  @Override
  void add(int at, Entry e) {
    if (size == entries.length) {
      int capacity = size * 2;
      entries = Arrays.copyOf(entries, capacity);
      prefixes = Arrays.copyOf(prefixes, capacity);
    }
    System.arraycopy(entries, at, entries, at + 1, size - at);
    System.arraycopy(prefixes, at, prefixes, at + 1, size - at);
    entries[at] = e;
    prefixes[at] = Bytes.prefix(e.key);
    size++;
  }

  @Override
  void set(int at, Entry e) {
    entries[at] = e;
    prefixes[at] = Bytes.prefix(e.key);
  }

  /** Replaces the key of entry {@code at}; the caller keeps the order. */
  void setKey(int at, byte[] key) {
    entries[at].key = key;
    prefixes[at] = Bytes.prefix(key);
  }

  @Override
  void remove(int at) {
    System.arraycopy(entries, at + 1, entries, at, size - at - 1);
    System.arraycopy(prefixes, at + 1, prefixes, at, size - at - 1);
    entries[--size] = null;
  }

  @Override
  void truncate(int from) {
    Arrays.fill(entries, from, size, null);
    size = from;
  }

  @Override
  int search(byte[] key) {
    long p = Bytes.prefix(key);
    int lo = 0;
    int hi = size - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = Long.compareUnsigned(prefixes[mid], p);
      if (c == 0) {
        c = Bytes.compare(entries[mid].key, key);
      }
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
