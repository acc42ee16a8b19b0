package dev.mmkit.kv.typed;

import dev.mmkit.kv.Bucket;
import java.lang.foreign.MemorySegment;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;

/**
 * TypedBucket is a view of a {@link Bucket} with keys of type {@code K} and values of type {@code
 * V}, encoded and decoded by two {@link Codec}s, so that callers never handle bytes.
 *
 * <pre>{@code
 * db.update(tx -> {
 *   TypedBucket<Long, String> users = TypedBucket.of(tx.createBucketIfAbsent("users"), Codec.longs(), Codec.strings());
 *   users.put(42L, "alice");
 * });
 * String name = db.read(tx -> TypedBucket.of(tx.bucket("users"), Codec.longs(), Codec.strings()).get(42L));
 * }</pre>
 *
 * <p><b>Order.</b> Keys are kept in the order of their encoded bytes, so range scans and {@link
 * #asMap()} follow {@code K}'s own order exactly when the key codec preserves order, as the
 * built-in ones do.
 *
 * <p><b>Lifetime.</b> The view lives as long as the bucket's transaction, and belongs to its
 * thread; afterwards every call throws {@link dev.mmkit.core.ClosedException}. It holds no other
 * resource and costs one small object. Keys and values it returns are decoded copies that stay
 * valid after the transaction.
 *
 * <p><b>Cost.</b> Each call encodes its key (one small array) and then costs what the same call on
 * the bucket costs; each key or value returned is decoded once. Writes need a write transaction, as
 * on the bucket.
 *
 * @param <K> the key type
 * @param <V> the value type
 */
public final class TypedBucket<K, V> {
  private final Bucket bucket;
  private final Codec<K> keys;
  private final Codec<V> values;

  private TypedBucket(Bucket bucket, Codec<K> keys, Codec<V> values) {
    this.bucket = bucket;
    this.keys = keys;
    this.values = values;
  }

  /**
   * Returns a typed view of {@code bucket}, whose keys are encoded with {@code keys} and values
   * with {@code values}.
   *
   * @throws NullPointerException when an argument is null, for example the missing bucket of {@code
   *     tx.bucket(name)}
   */
  public static <K, V> TypedBucket<K, V> of(Bucket bucket, Codec<K> keys, Codec<V> values) {
    return new TypedBucket<>(
        Objects.requireNonNull(bucket, "bucket"),
        Objects.requireNonNull(keys, "keys"),
        Objects.requireNonNull(values, "values"));
  }

  /** Returns the bucket this view reads and writes. */
  public Bucket bucket() {
    return bucket;
  }

  /** Returns the codec of the keys. */
  public Codec<K> keyCodec() {
    return keys;
  }

  /** Returns the codec of the values. */
  public Codec<V> valueCodec() {
    return values;
  }

  /**
   * Returns the value stored under {@code key}, decoded, or null when the key is absent or names a
   * nested bucket.
   *
   * @throws IllegalArgumentException when the stored bytes are not an encoding of the value codec
   */
  public V get(K key) {
    MemorySegment value = bucket.get(keys.encode(key));
    return value == null ? null : values.decode(value);
  }

  /** Returns whether {@code key} holds a value. */
  public boolean containsKey(K key) {
    return bucket.containsKey(keys.encode(key));
  }

  /**
   * Stores {@code value} under {@code key}, replacing any value; see {@link Bucket#put(byte[],
   * byte[])} for the limits on encoded keys (1 to 1024 bytes) and values.
   *
   * @throws IllegalStateException in a read-only transaction, or when {@code key} names a bucket
   */
  public void put(K key, V value) {
    bucket.put(keys.encode(key), values.encode(value));
  }

  /**
   * Deletes {@code key}; returns whether it held a value.
   *
   * @throws IllegalStateException in a read-only transaction, or when {@code key} names a bucket
   */
  public boolean delete(K key) {
    return bucket.delete(keys.encode(key));
  }

  /** Returns the number of keys in the bucket, nested buckets not counted. Costs nothing. */
  public long count() {
    return bucket.count();
  }

  /**
   * Visitor receives the entries of a {@link #scan}, decoded.
   *
   * @param <K> the key type
   * @param <V> the value type
   */
  @FunctionalInterface
  public interface Visitor<K, V> {
    /** Receives one entry; returns whether to go on. Must not change the bucket. */
    boolean visit(K key, V value);
  }

  /**
   * Visits the entries in {@code range}, in the range's direction, until the visitor returns false;
   * returns the number visited. Each key and value is decoded before the visitor sees it; the scan
   * itself walks the bucket as {@link Bucket#scan} does, a leaf page at a time.
   */
  public long scan(TypedRange<K> range, Visitor<? super K, ? super V> visitor) {
    return bucket.scan(
        range.encode(keys), (key, value) -> visitor.visit(keys.decode(key), values.decode(value)));
  }

  /**
   * Returns the first {@code limit} entries of {@code range}, in its direction, as decoded copies
   * in a new list.
   *
   * @throws IllegalArgumentException when {@code limit} is negative
   */
  public List<Map.Entry<K, V>> entries(TypedRange<K> range, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("limit must not be negative: limit=" + limit);
    }
    List<Map.Entry<K, V>> out = new ArrayList<>(Math.min(limit, 1024));
    if (limit > 0) {
      scan(
          range,
          (key, value) -> {
            out.add(new SimpleImmutableEntry<>(key, value));
            return out.size() < limit;
          });
    }
    return out;
  }

  /**
   * Returns a read-only {@link NavigableMap} over the bucket's entries, for code that expects one.
   * It copies nothing: every call reads the bucket through a fresh cursor, so it shows changes the
   * transaction makes afterwards through the bucket or this view; an iterator, like a cursor, is
   * invalidated by such a change and then throws {@link IllegalStateException}.
   *
   * <p>The map is ordered by encoded key bytes ({@link NavigableMap#comparator()} compares that
   * way), and its sub-maps, descending views and key sets follow the contract of {@link
   * java.util.TreeMap}'s, including {@link IllegalArgumentException} for bounds outside a sub-map's
   * range. Every method that would change the map throws {@link UnsupportedOperationException}.
   * Lookups and navigation ({@code get}, {@code ceilingKey}, {@code firstEntry}...) cost one
   * descent of the B+tree each; iteration costs one cursor step and one decode per entry; {@code
   * size()} is free on the whole map and counts the entries of a sub-map. Like the bucket, it is
   * valid until the transaction ends, and only on its thread; keys and values it returns are
   * decoded copies.
   */
  public NavigableMap<K, V> asMap() {
    return Collections.unmodifiableNavigableMap(new BucketMap<>(bucket, keys, values));
  }

  @Override
  public String toString() {
    return "TypedBucket[keys=" + keys + ", values=" + values + ", count=" + bucket.count() + "]";
  }
}
