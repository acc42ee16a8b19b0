package dev.mmkit.kv.internal.tree;

import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.LeafPage;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;

/**
 * LeafEntries holds the entries of a materialized leaf {@link Node} packed as a leaf page packs
 * them: each key followed by its stored value (the inline value, the 16-byte overflow reference or
 * the 32-byte bucket header) in one byte array, and parallel arrays, in key order, of where each
 * record starts, its key and value lengths, its flags and its key's first 8 bytes (searched first,
 * as in {@link BranchEntries}). A leaf of hundreds of entries is a handful of arrays instead of
 * three objects per entry, so a large write transaction costs the garbage collector little.
 *
 * <p>Records replaced or removed leave garbage in the byte array; it is dropped when the array is
 * copied to grow. A large value not yet written to its overflow run waits in {@code pending}.
 */
final class LeafEntries extends NodeEntries implements LeafPage.Records {
  private byte[] data;
  private int used;
  private int garbage;
  private int[] offs;
  private int[] keyLens;
  private int[] valueLens;
  private byte[] flags;
  private long[] prefixes;
  private byte[][] pending;
  private int size;

  LeafEntries(int capacity, int bytes) {
    int n = Math.max(4, capacity);
    data = new byte[Math.max(64, bytes)];
    offs = new int[n];
    keyLens = new int[n];
    valueLens = new int[n];
    flags = new byte[n];
    prefixes = new long[n];
  }

  /** Copies the {@code count} elements of the verified leaf page at {@code off}. */
  static LeafEntries read(MemorySegment seg, long off, int count) {
    int dataStart = PageLayout.HEADER_SIZE + count * NodeLayout.LEAF_ELEMENT;
    int end = dataStart;
    for (int i = 0; i < count; i++) {
      long el = LeafPage.element(off, i);
      int stored =
          LeafPage.storedValueLength(LeafPage.flags(seg, el), LeafPage.valueLength(seg, el));
      end = Math.max(end, LeafPage.keyOffset(seg, el) + LeafPage.keyLength(seg, el) + stored);
    }
    LeafEntries l = new LeafEntries(count + 8, end - dataStart + 256);
    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, off + dataStart, l.data, 0, end - dataStart);
    l.used = end - dataStart;
    int live = 0;
    for (int i = 0; i < count; i++) {
      long el = LeafPage.element(off, i);
      int at = LeafPage.keyOffset(seg, el) - dataStart;
      int keyLen = LeafPage.keyLength(seg, el);
      l.offs[i] = at;
      l.keyLens[i] = keyLen;
      l.valueLens[i] = LeafPage.valueLength(seg, el);
      l.flags[i] = (byte) LeafPage.flags(seg, el);
      l.prefixes[i] = l.prefixAt(at, keyLen);
      live += l.record(i);
    }
    l.garbage = l.used - live;
    l.size = count;
    return l;
  }

  /** Returns the length of record {@code i}: key and stored value. */
  private int record(int i) {
    return keyLens[i] + LeafPage.storedValueLength(flags[i], valueLens[i]);
  }

  private long prefixAt(int at, int keyLen) {
    long p = 0;
    for (int b = 0; b < 8; b++) {
      p = (p << 8) | (b < keyLen ? data[at + b] & 0xFF : 0);
    }
    return p;
  }

  @Override
  int size() {
    return size;
  }

  @Override
  Entry get(int i) {
    Entry e = new Entry();
    int at = offs[i];
    int keyLen = keyLens[i];
    e.key = Arrays.copyOfRange(data, at, at + keyLen);
    e.flags = flags[i];
    int v = at + keyLen;
    switch (e.flags) {
      case NodeLayout.INLINE -> e.value = Arrays.copyOfRange(data, v, v + valueLens[i]);
      case NodeLayout.OVERFLOW -> {
        e.page = Bytes.getLong(data, v);
        e.txid = Bytes.getLong(data, v + 8);
        e.length = valueLens[i];
        e.value = pending == null ? null : pending[i];
      }
      default -> e.value = Arrays.copyOfRange(data, v, v + NodeLayout.BUCKET_HEADER);
    }
    return e;
  }

  @Override
  byte[] key(int i) {
    return Arrays.copyOfRange(data, offs[i], offs[i] + keyLens[i]);
  }

  @Override
  public int flags(int i) {
    return flags[i];
  }

  @Override
  public int entrySize(int i) {
    return NodeLayout.LEAF_ELEMENT + record(i);
  }

  @Override
  public int keyLength(int i) {
    return keyLens[i];
  }

  @Override
  public int valueLength(int i) {
    return valueLens[i];
  }

  /** Returns the value of overflow entry {@code i} still to be written, or null. */
  byte[] pendingValue(int i) {
    return pending == null ? null : pending[i];
  }

  /** Records that the value of overflow entry {@code i} was written to run {@code page}. */
  void setOverflowRef(int i, long page, long txid) {
    int v = offs[i] + keyLens[i];
    Bytes.putLong(data, v, page);
    Bytes.putLong(data, v + 8, txid);
    if (pending != null) {
      pending[i] = null;
    }
  }

  @Override
  public void copyRecord(int i, byte[] page, int at) {
    System.arraycopy(data, offs[i], page, at, record(i));
  }

  @Override
  void add(int at, Entry e) {
    insert(at, e.key, e.flags, e.value, e.page, e.txid, e.valueLength());
  }

  /** Inserts an entry with an inline value at index {@code at}; copies both arrays. */
  void addInline(int at, byte[] key, byte[] value) {
    insert(at, key, NodeLayout.INLINE, value, 0, 0, value.length);
  }

  private void insert(
      int at, byte[] key, int f, byte[] value, long page, long txid, int valueLength) {
    int start = append(key, f, value, page, txid, valueLength);
    if (size == offs.length) {
      growArrays();
    }
    int tail = size - at;
    System.arraycopy(offs, at, offs, at + 1, tail);
    System.arraycopy(keyLens, at, keyLens, at + 1, tail);
    System.arraycopy(valueLens, at, valueLens, at + 1, tail);
    System.arraycopy(flags, at, flags, at + 1, tail);
    System.arraycopy(prefixes, at, prefixes, at + 1, tail);
    if (pending != null) {
      System.arraycopy(pending, at, pending, at + 1, tail);
      pending[at] = null;
    }
    size++;
    describe(at, start, key, f, value, page, valueLength);
  }

  @Override
  void set(int at, Entry e) {
    replace(at, e.key, e.flags, e.value, e.page, e.txid, e.valueLength());
  }

  /** Replaces entry {@code at} by an entry with an inline value; copies both arrays. */
  void setInline(int at, byte[] key, byte[] value) {
    replace(at, key, NodeLayout.INLINE, value, 0, 0, value.length);
  }

  private void replace(
      int at, byte[] key, int f, byte[] value, long page, long txid, int valueLength) {
    int old = record(at);
    int start = append(key, f, value, page, txid, valueLength);
    garbage += old;
    if (pending != null) {
      pending[at] = null;
    }
    describe(at, start, key, f, value, page, valueLength);
  }

  /** Fills in the arrays of entry {@code at}, whose record starts at {@code start}. */
  private void describe(
      int at, int start, byte[] key, int f, byte[] value, long page, int valueLength) {
    offs[at] = start;
    keyLens[at] = key.length;
    valueLens[at] = valueLength;
    flags[at] = (byte) f;
    prefixes[at] = Bytes.prefix(key);
    if (f == NodeLayout.OVERFLOW && page == 0) {
      if (pending == null) {
        pending = new byte[offs.length][];
      }
      pending[at] = value;
    }
  }

  /** Appends a record to the data and returns where it starts. */
  private int append(byte[] key, int f, byte[] value, long page, long txid, int valueLength) {
    int keyLen = key.length;
    int length = keyLen + LeafPage.storedValueLength(f, valueLength);
    reserve(length);
    int at = used;
    System.arraycopy(key, 0, data, at, keyLen);
    int v = at + keyLen;
    if (f == NodeLayout.OVERFLOW) {
      Bytes.putLong(data, v, page);
      Bytes.putLong(data, v + 8, txid);
    } else {
      System.arraycopy(value, 0, data, v, length - keyLen);
    }
    used += length;
    return at;
  }

  /**
   * Makes room for {@code length} more bytes: drops the garbage in place when the live records then
   * fill at most three quarters of the array, else copies them to an array twice their size.
   */
  private void reserve(int length) {
    if (used + length <= data.length) {
      return;
    }
    int live = used - garbage;
    if (live + length <= data.length - data.length / 4) {
      compact();
    } else {
      repack(Math.max(data.length, 2 * (live + length)));
    }
  }

  /** Slides the live records down over the garbage, in the order they lie in the array. */
  private void compact() {
    long[] order = new long[size];
    for (int i = 0; i < size; i++) {
      order[i] = (long) offs[i] << 32 | i;
    }
    Arrays.sort(order);
    int at = 0;
    for (long o : order) {
      int i = (int) o;
      int length = record(i);
      System.arraycopy(data, offs[i], data, at, length);
      offs[i] = at;
      at += length;
    }
    used = at;
    garbage = 0;
  }

  /** Copies the live records, in key order, to a new data array of {@code capacity} bytes. */
  private void repack(int capacity) {
    byte[] packed = new byte[capacity];
    int at = 0;
    for (int i = 0; i < size; i++) {
      int length = record(i);
      System.arraycopy(data, offs[i], packed, at, length);
      offs[i] = at;
      at += length;
    }
    data = packed;
    used = at;
    garbage = 0;
  }

  @Override
  void remove(int at) {
    garbage += record(at);
    int tail = size - at - 1;
    System.arraycopy(offs, at + 1, offs, at, tail);
    System.arraycopy(keyLens, at + 1, keyLens, at, tail);
    System.arraycopy(valueLens, at + 1, valueLens, at, tail);
    System.arraycopy(flags, at + 1, flags, at, tail);
    System.arraycopy(prefixes, at + 1, prefixes, at, tail);
    if (pending != null) {
      System.arraycopy(pending, at + 1, pending, at, tail);
      pending[size - 1] = null;
    }
    size--;
  }

  @Override
  void truncate(int from) {
    for (int i = from; i < size; i++) {
      garbage += record(i);
      if (pending != null) {
        pending[i] = null;
      }
    }
    size = from;
  }

  /** Moves the entries from {@code from} on to a new list and returns it. */
  LeafEntries splitOff(int from) {
    int bytes = 0;
    for (int i = from; i < size; i++) {
      bytes += record(i);
    }
    LeafEntries right = new LeafEntries(size - from + 8, 2 * bytes);
    right.appendAll(this, from);
    truncate(from);
    return right;
  }

  /** Appends the entries of {@code other} from {@code from} on; they sort after these. */
  void appendAll(LeafEntries other, int from) {
    for (int i = from; i < other.size; i++) {
      int length = other.record(i);
      reserve(length);
      System.arraycopy(other.data, other.offs[i], data, used, length);
      if (size == offs.length) {
        growArrays();
      }
      offs[size] = used;
      keyLens[size] = other.keyLens[i];
      valueLens[size] = other.valueLens[i];
      flags[size] = other.flags[i];
      prefixes[size] = other.prefixes[i];
      byte[] waiting = other.pendingValue(i);
      if (waiting != null) {
        if (pending == null) {
          pending = new byte[offs.length][];
        }
        pending[size] = waiting;
      }
      used += length;
      size++;
    }
  }

  private void growArrays() {
    int capacity = Math.max(4, size * 2);
    offs = Arrays.copyOf(offs, capacity);
    keyLens = Arrays.copyOf(keyLens, capacity);
    valueLens = Arrays.copyOf(valueLens, capacity);
    flags = Arrays.copyOf(flags, capacity);
    prefixes = Arrays.copyOf(prefixes, capacity);
    if (pending != null) {
      pending = Arrays.copyOf(pending, capacity);
    }
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
        int at = offs[mid];
        c = Arrays.compareUnsigned(data, at, at + keyLens[mid], key, 0, key.length);
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
