package dev.mmkit.kv.internal.storage;

import java.util.Arrays;

/** LongList is a growable array of longs, for page id lists without boxing. */
public final class LongList {
  private long[] values;
  private int size;

  /** Returns an empty list. */
  public LongList() {
    this(16);
  }

  /** Returns an empty list with room for {@code capacity} values. */
  public LongList(int capacity) {
    values = new long[Math.max(4, capacity)];
  }

  /** Appends {@code value}. */
  public void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  /** Appends {@code count} consecutive values from {@code first}. */
  public void addRange(long first, long count) {
    for (long i = 0; i < count; i++) {
      add(first + i);
    }
  }

  void addAll(LongList other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  /** Returns value {@code index}. */
  public long get(int index) {
    return values[index];
  }

  /** Returns the number of values. */
  public int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void clear() {
    size = 0;
  }

  /** Returns the values sorted, without duplicates. */
  public long[] sortedUnique() {
    long[] a = Arrays.copyOf(values, size);
    Arrays.sort(a);
    int n = 0;
    for (int i = 0; i < a.length; i++) {
      if (i == 0 || a[i] != a[i - 1]) {
        a[n++] = a[i];
      }
    }
    return Arrays.copyOf(a, n);
  }

  long[] toArray() {
    return Arrays.copyOf(values, size);
  }
}
