package dev.mmkit.kv.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * EntryList holds the entries of a {@link Node} in key order, with the first 8 bytes of each key as
 * an unsigned long in a parallel array: a binary search compares those first and touches the key
 * arrays only on a tie, which keeps searches of large in-memory nodes in a few cache lines.
 */
final class EntryList implements Iterable<Entry> {
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  private Entry[] entries;
  private long[] prefixes;
  private int size;

  EntryList(int capacity) {
    entries = new Entry[Math.max(4, capacity)];
    prefixes = new long[entries.length];
  }

  static long prefix(byte[] key) {
    if (key.length >= 8) {
      return (long) LONG_BE.get(key, 0);
    }
    long p = 0;
    for (int i = 0; i < 8; i++) {
      p = (p << 8) | (i < key.length ? key[i] & 0xFF : 0);
    }
    return p;
  }

  Entry get(int i) {
    return entries[i];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void add(Entry e) {
    add(size, e);
  }

  void add(int at, Entry e) {
    if (size == entries.length) {
      int capacity = size * 2;
      entries = Arrays.copyOf(entries, capacity);
      prefixes = Arrays.copyOf(prefixes, capacity);
    }
    System.arraycopy(entries, at, entries, at + 1, size - at);
    System.arraycopy(prefixes, at, prefixes, at + 1, size - at);
    entries[at] = e;
    prefixes[at] = prefix(e.key);
    size++;
  }

  void addAll(EntryList other) {
    for (int i = 0; i < other.size; i++) {
      add(other.entries[i]);
    }
  }

  Entry set(int at, Entry e) {
    Entry old = entries[at];
    entries[at] = e;
    prefixes[at] = prefix(e.key);
    return old;
  }

  Entry remove(int at) {
    Entry old = entries[at];
    System.arraycopy(entries, at + 1, entries, at, size - at - 1);
    System.arraycopy(prefixes, at + 1, prefixes, at, size - at - 1);
    entries[--size] = null;
    return old;
  }

  /** Removes the entries from {@code from} on. */
  void truncate(int from) {
    Arrays.fill(entries, from, size, null);
    size = from;
  }

  void clear() {
    truncate(0);
  }

  /** Returns the index of {@code key}, or {@code -(insertion point) - 1}. */
  int search(byte[] key) {
    long p = prefix(key);
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

  @Override
  public Iterator<Entry> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < size;
      }

      @Override
      public Entry next() {
        if (next >= size) {
          throw new NoSuchElementException();
        }
        return entries[next++];
      }
    };
  }
}
