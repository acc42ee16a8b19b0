package dev.mmkit.kv.internal;

import java.util.Arrays;

/** LongList is a growable array of longs, for page id lists without boxing. */
final class LongList {
  private long[] values;
  private int size;

  LongList() {
    this(16);
  }

  LongList(int capacity) {
    values = new long[Math.max(4, capacity)];
  }

  void add(long value) {
    if (size == values.length) {
      values = Arrays.copyOf(values, size * 2);
    }
    values[size++] = value;
  }

  void addRange(long first, long count) {
    for (long i = 0; i < count; i++) {
      add(first + i);
    }
  }

  void addAll(LongList other) {
    for (int i = 0; i < other.size; i++) {
      add(other.values[i]);
    }
  }

  long get(int index) {
    return values[index];
  }

  int size() {
    return size;
  }

  boolean isEmpty() {
    return size == 0;
  }

  void clear() {
    size = 0;
  }

  /** Returns the values sorted, without duplicates. */
  long[] sortedUnique() {
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
