package dev.mmkit.kv.typed;

import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Cursor;
import java.lang.foreign.MemorySegment;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;

/**
 * BucketMap is the {@link NavigableMap} behind {@link TypedBucket#asMap()}: a range of a bucket's
 * entries, ascending or descending, read through cursors on every call. It implements the reads;
 * the caller wraps it in {@link java.util.Collections#unmodifiableNavigableMap}, which refuses
 * every change, so the change methods here are never reached through the public view.
 *
 * <p>Navigation is done in ascending byte order on {@link Bounds} ({@code lowest}, {@code ceiling},
 * ...); the public methods map onto those by direction, as {@link java.util.TreeMap}'s sub-maps do.
 */
final class BucketMap<K, V> extends AbstractMap<K, V> implements NavigableMap<K, V> {
  private final Bucket bucket;
  private final Codec<K> keys;
  private final Codec<V> values;
  private final Bounds bounds;
  private final boolean descending;

  BucketMap(Bucket bucket, Codec<K> keys, Codec<V> values) {
    this(bucket, keys, values, Bounds.ALL, false);
  }

  private BucketMap(
      Bucket bucket, Codec<K> keys, Codec<V> values, Bounds bounds, boolean descending) {
    this.bucket = bucket;
    this.keys = keys;
    this.values = values;
    this.bounds = bounds;
    this.descending = descending;
  }

  // ---- Ascending navigation inside the bounds: a cursor on the entry found, or null.

  private Cursor lowest() {
    Cursor c = bucket.cursor();
    boolean ok =
        bounds.lower() == null ? c.first() : atOrAfter(c, bounds.lower(), bounds.lowerInclusive());
    return ok && !bounds.above(c) ? c : null;
  }

  private Cursor highest() {
    Cursor c = bucket.cursor();
    boolean ok =
        bounds.upper() == null ? c.last() : atOrBefore(c, bounds.upper(), bounds.upperInclusive());
    return ok && !bounds.below(c) ? c : null;
  }

  /** The first entry at or above {@code key} ({@code inclusive}), or above it. */
  private Cursor after(byte[] key, boolean inclusive) {
    if (bounds.below(key)) {
      return lowest();
    }
    Cursor c = bucket.cursor();
    return atOrAfter(c, key, inclusive) && !bounds.above(c) ? c : null;
  }

  /** The last entry at or below {@code key} ({@code inclusive}), or below it. */
  private Cursor before(byte[] key, boolean inclusive) {
    if (bounds.above(key)) {
      return highest();
    }
    Cursor c = bucket.cursor();
    return atOrBefore(c, key, inclusive) && !bounds.below(c) ? c : null;
  }

  private static boolean atOrAfter(Cursor c, byte[] key, boolean inclusive) {
    boolean ok = c.seek(key);
    return ok && !inclusive && c.compareKey(key) == 0 ? c.next() : ok;
  }

  private static boolean atOrBefore(Cursor c, byte[] key, boolean inclusive) {
    boolean ok = c.seekFloor(key);
    return ok && !inclusive && c.compareKey(key) == 0 ? c.prev() : ok;
  }

  // ---- The same by this map's direction.

  private Cursor first() {
    return descending ? highest() : lowest();
  }

  private Cursor last() {
    return descending ? lowest() : highest();
  }

  private Cursor ceiling(Object key) {
    return descending ? before(encode(key), true) : after(encode(key), true);
  }

  private Cursor higher(Object key) {
    return descending ? before(encode(key), false) : after(encode(key), false);
  }

  private Cursor floor(Object key) {
    return descending ? after(encode(key), true) : before(encode(key), true);
  }

  private Cursor lower(Object key) {
    return descending ? after(encode(key), false) : before(encode(key), false);
  }

  // ---- Reading entries.

  @SuppressWarnings(
      "unchecked") // A key of another type fails in the codec with ClassCastException.
  private byte[] encode(Object key) {
    return keys.encode((K) Objects.requireNonNull(key, "key"));
  }

  private K key(Cursor c) {
    return keys.decode(c.key());
  }

  private Map.Entry<K, V> entry(Cursor c) {
    return new SimpleImmutableEntry<>(keys.decode(c.key()), values.decode(c.value()));
  }

  private K keyOrNull(Cursor c) {
    return c == null ? null : key(c);
  }

  private Map.Entry<K, V> entryOrNull(Cursor c) {
    return c == null ? null : entry(c);
  }

  private K keyOrThrow(Cursor c) {
    if (c == null) {
      throw new NoSuchElementException();
    }
    return key(c);
  }

  Iterator<K> keyIterator() {
    return new CursorIterator<>(first(), bounds, descending, this::key);
  }

  Iterator<K> descendingKeyIterator() {
    return new CursorIterator<>(last(), bounds, !descending, this::key);
  }

  // ---- Map.

  @Override
  public V get(Object key) {
    byte[] k = encode(key);
    if (!bounds.contains(k)) {
      return null;
    }
    MemorySegment value = bucket.get(k);
    return value == null ? null : values.decode(value);
  }

  @Override
  public boolean containsKey(Object key) {
    byte[] k = encode(key);
    return bounds.contains(k) && bucket.containsKey(k);
  }

  @Override
  public int size() {
    long count = bounds.isAll() ? bucket.count() : bucket.scan(bounds.toKeyRange(), (k, v) -> true);
    return (int) Math.min(count, Integer.MAX_VALUE);
  }

  @Override
  public boolean isEmpty() {
    return lowest() == null;
  }

  @Override
  public Set<Map.Entry<K, V>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public Iterator<Map.Entry<K, V>> iterator() {
        return new CursorIterator<>(first(), bounds, descending, BucketMap.this::entry);
      }

      @Override
      public int size() {
        return BucketMap.this.size();
      }

      @Override
      public boolean isEmpty() {
        return BucketMap.this.isEmpty();
      }

      @Override
      public boolean contains(Object o) {
        if (!(o instanceof Map.Entry<?, ?> e) || e.getKey() == null) {
          return false;
        }
        V value = get(e.getKey());
        return value != null && value.equals(e.getValue());
      }
    };
  }

  @Override
  public Set<K> keySet() {
    return navigableKeySet();
  }

  // ---- SortedMap and NavigableMap.

  @Override
  public Comparator<? super K> comparator() {
    Comparator<K> ascending = (a, b) -> Arrays.compareUnsigned(keys.encode(a), keys.encode(b));
    return descending ? ascending.reversed() : ascending;
  }

  @Override
  public K firstKey() {
    return keyOrThrow(first());
  }

  @Override
  public K lastKey() {
    return keyOrThrow(last());
  }

  @Override
  public Map.Entry<K, V> firstEntry() {
    return entryOrNull(first());
  }

  @Override
  public Map.Entry<K, V> lastEntry() {
    return entryOrNull(last());
  }

  @Override
  public Map.Entry<K, V> lowerEntry(K key) {
    return entryOrNull(lower(key));
  }

  @Override
  public K lowerKey(K key) {
    return keyOrNull(lower(key));
  }

  @Override
  public Map.Entry<K, V> floorEntry(K key) {
    return entryOrNull(floor(key));
  }

  @Override
  public K floorKey(K key) {
    return keyOrNull(floor(key));
  }

  @Override
  public Map.Entry<K, V> ceilingEntry(K key) {
    return entryOrNull(ceiling(key));
  }

  @Override
  public K ceilingKey(K key) {
    return keyOrNull(ceiling(key));
  }

  @Override
  public Map.Entry<K, V> higherEntry(K key) {
    return entryOrNull(higher(key));
  }

  @Override
  public K higherKey(K key) {
    return keyOrNull(higher(key));
  }

  @Override
  public Map.Entry<K, V> pollFirstEntry() {
    throw new UnsupportedOperationException("read-only view of a bucket");
  }

  @Override
  public Map.Entry<K, V> pollLastEntry() {
    throw new UnsupportedOperationException("read-only view of a bucket");
  }

  @Override
  public NavigableMap<K, V> descendingMap() {
    return new BucketMap<>(bucket, keys, values, bounds, !descending);
  }

  @Override
  public NavigableSet<K> navigableKeySet() {
    return new BucketKeySet<>(this);
  }

  @Override
  public NavigableSet<K> descendingKeySet() {
    return descendingMap().navigableKeySet();
  }

  @Override
  public NavigableMap<K, V> subMap(K fromKey, boolean fromInclusive, K toKey, boolean toInclusive) {
    byte[] from = checkedBound(fromKey, fromInclusive, "fromKey");
    byte[] to = checkedBound(toKey, toInclusive, "toKey");
    byte[] low = descending ? to : from;
    byte[] high = descending ? from : to;
    if (Arrays.compareUnsigned(low, high) > 0) {
      throw new IllegalArgumentException("fromKey > toKey");
    }
    Bounds sub =
        descending
            ? new Bounds(to, toInclusive, from, fromInclusive)
            : new Bounds(from, fromInclusive, to, toInclusive);
    return new BucketMap<>(bucket, keys, values, sub, descending);
  }

  @Override
  public NavigableMap<K, V> headMap(K toKey, boolean inclusive) {
    byte[] to = checkedBound(toKey, inclusive, "toKey");
    Bounds sub = descending ? bounds.withLower(to, inclusive) : bounds.withUpper(to, inclusive);
    return new BucketMap<>(bucket, keys, values, sub, descending);
  }

  @Override
  public NavigableMap<K, V> tailMap(K fromKey, boolean inclusive) {
    byte[] from = checkedBound(fromKey, inclusive, "fromKey");
    Bounds sub = descending ? bounds.withUpper(from, inclusive) : bounds.withLower(from, inclusive);
    return new BucketMap<>(bucket, keys, values, sub, descending);
  }

  @Override
  public SortedMap<K, V> subMap(K fromKey, K toKey) {
    return subMap(fromKey, true, toKey, false);
  }

  @Override
  public SortedMap<K, V> headMap(K toKey) {
    return headMap(toKey, false);
  }

  @Override
  public SortedMap<K, V> tailMap(K fromKey) {
    return tailMap(fromKey, true);
  }

  private byte[] checkedBound(K key, boolean inclusive, String name) {
    byte[] k = encode(key);
    if (!bounds.admits(k, inclusive)) {
      throw new IllegalArgumentException(name + " out of range: " + name + "=" + key);
    }
    return k;
  }
}
