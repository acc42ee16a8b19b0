package dev.mmkit.kv.internal.tree;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * NodeEntries holds the entries of a materialized {@link Node} in key order: a branch keeps {@link
 * Entry} objects ({@link BranchEntries}), a leaf keeps them packed as a page packs them ({@link
 * LeafEntries}). {@link #get} of a leaf decodes a fresh {@link Entry}; changing it changes nothing
 * until it is stored back with {@link #set}.
 */
abstract sealed class NodeEntries implements Iterable<Entry> permits BranchEntries, LeafEntries {

  /** Returns the number of entries. */
  abstract int size();

  /** Returns whether there is no entry. */
  final boolean isEmpty() {
    return size() == 0;
  }

  /** Returns entry {@code i}: the stored object (branch) or a decoded copy (leaf). */
  abstract Entry get(int i);

  /** Returns the key of entry {@code i}; callers must not change it. */
  abstract byte[] key(int i);

  /** Returns the flags of entry {@code i} (0 in a branch). */
  abstract int flags(int i);

  /** Returns the bytes entry {@code i} takes in a page: element, key and stored value. */
  abstract int entrySize(int i);

  /** Inserts {@code e} at index {@code at}. */
  abstract void add(int at, Entry e);

  /** Appends {@code e}. */
  final void add(Entry e) {
    add(size(), e);
  }

  /** Replaces entry {@code at} by {@code e}. */
  abstract void set(int at, Entry e);

  /** Removes entry {@code at}. */
  abstract void remove(int at);

  /** Removes the entries from {@code from} on. */
  abstract void truncate(int from);

  /** Returns the index of {@code key}, or {@code -(insertion point) - 1}. */
  abstract int search(byte[] key);

  @Override
  public final Iterator<Entry> iterator() {
    return new Iterator<>() {
      private int next;

      @Override
      public boolean hasNext() {
        return next < size();
      }

      @Override
      public Entry next() {
        if (next >= size()) {
          throw new NoSuchElementException();
        }
        return get(next++);
      }
    };
  }
}
