package dev.mmkit.kv;

import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.tree.BucketTree;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Bucket is a named, sorted collection of key/value pairs inside a {@link Tx}, and may hold nested
 * buckets beside its keys (a key names either a value or a bucket, never both). Keys are 1 to 1024
 * bytes, compared as unsigned bytes; values are 0 bytes to 1 GiB (values larger than about half a
 * page live in their own overflow pages, so changing a neighbour never rewrites them).
 *
 * <p>A bucket handle lives as long as its transaction, and one bucket of one transaction is one
 * handle: asking twice returns the same object. After {@link #deleteBucket} its handle and those
 * nested in it throw {@link dev.mmkit.core.ClosedException}.
 *
 * <p>Reads return zero-copy views of the mapped file when the JVM grants native access: no copy, no
 * allocation beyond the view object, valid until the transaction ends (see {@link Tx}). The {@code
 * getBytes} variants copy.
 */
public final class Bucket {
  /** The longest key a bucket takes, in bytes; keys are 1 to this many bytes long. */
  public static final int MAX_KEY_SIZE = NodeLayout.MAX_KEY_SIZE;

  /** The largest value a bucket takes, in bytes (1 GiB). */
  public static final int MAX_VALUE_SIZE = NodeLayout.MAX_VALUE_SIZE;

  private final Tx tx;
  private final BucketTree tree;

  Bucket(Tx tx, BucketTree tree) {
    this.tx = tx;
    this.tree = tree;
  }

  BucketTree tree() {
    return tree;
  }

  /** Returns the bucket's name, or null for the root bucket of the database. */
  public byte[] name() {
    return tree.name();
  }

  /**
   * Returns the value stored under {@code key} as a read-only view, or null when the key is absent
   * or names a nested bucket. The view is valid until the transaction ends and only on its thread;
   * afterwards reading it throws {@link IllegalStateException}. Do not keep it longer: copy with
   * {@link #getBytes} instead.
   */
  public MemorySegment get(byte[] key) {
    return tree.get(key);
  }

  /** Returns a copy of the value stored under {@code key}, or null when absent or a bucket. */
  public byte[] getBytes(byte[] key) {
    return tree.getBytes(key);
  }

  /** Returns whether {@code key} holds a value. */
  public boolean containsKey(byte[] key) {
    return tree.containsKey(key);
  }

  /**
   * Stores {@code value} under {@code key}, replacing any value. Both arrays are copied.
   *
   * @throws IllegalArgumentException when the key is empty or longer than 1024 bytes, or the value
   *     longer than 1 GiB
   * @throws IllegalStateException in a read-only transaction, or when {@code key} names a bucket
   */
  public void put(byte[] key, byte[] value) {
    tree.put(key, value);
  }

  /** Stores a UTF-8 string value under a UTF-8 string key; see {@link #put(byte[], byte[])}. */
  public void put(String key, String value) {
    put(key.getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
  }

  /** Stores the bytes of {@code value} under {@code key}; see {@link #put(byte[], byte[])}. */
  public void put(byte[] key, MemorySegment value) {
    put(key, value.toArray(ValueLayout.JAVA_BYTE));
  }

  /**
   * Deletes {@code key}; returns whether it held a value.
   *
   * @throws IllegalStateException in a read-only transaction, or when {@code key} names a bucket
   */
  public boolean delete(byte[] key) {
    return tree.delete(key);
  }

  /** Returns the number of keys in this bucket, nested buckets not counted. Costs nothing. */
  public long count() {
    return tree.count();
  }

  /** Returns the bucket's sequence, a counter for generating keys; a new bucket starts at 0. */
  public long sequence() {
    return tree.sequence();
  }

  /** Increments the sequence and returns the new value; committed with the transaction. */
  public long nextSequence() {
    return tree.nextSequence();
  }

  /** Sets the sequence. */
  public void setSequence(long value) {
    tree.setSequence(value);
  }

  /** Returns the nested bucket {@code name}, or null when there is none. */
  public Bucket bucket(byte[] name) {
    return tx.wrap(tree.bucket(name));
  }

  /** Returns the nested bucket named by a UTF-8 string, or null. */
  public Bucket bucket(String name) {
    return bucket(name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Creates the nested bucket {@code name}. Buckets nest up to 64 deep (a bucket of the root bucket
   * is at depth 1), so that walks of the whole tree stay well inside a thread's stack.
   *
   * @throws IllegalStateException when it exists, or when the key holds a value
   * @throws IllegalArgumentException when the name is not a valid key, or the new bucket would be
   *     nested deeper than 64
   */
  public Bucket createBucket(byte[] name) {
    return tx.wrap(tree.createBucket(name, false));
  }

  /** Returns the nested bucket {@code name}, creating it when absent. */
  public Bucket createBucketIfAbsent(byte[] name) {
    return tx.wrap(tree.createBucket(name, true));
  }

  /** Returns the nested bucket named by a UTF-8 string, creating it when absent. */
  public Bucket createBucketIfAbsent(String name) {
    return createBucketIfAbsent(name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Deletes the nested bucket {@code name} with everything in it; returns whether it existed. Its
   * pages are freed when the transaction commits, and reused once no reader can see them.
   */
  public boolean deleteBucket(byte[] name) {
    return tree.deleteBucket(name);
  }

  /** Returns the names of the nested buckets, in key order. */
  public List<byte[]> bucketNames() {
    return tree.bucketNames();
  }

  /** Returns a new cursor over this bucket's key/value entries. */
  public Cursor cursor() {
    return new Cursor(tree.cursor());
  }

  /** Visitor receives the entries of a {@link #scan}. */
  @FunctionalInterface
  public interface Visitor {
    /**
     * Receives one entry as views valid until the transaction ends; returns whether to go on. Must
     * not change the bucket.
     */
    boolean visit(MemorySegment key, MemorySegment value);
  }

  /**
   * Visits the entries in {@code range}, in the range's direction, until the visitor returns false;
   * returns the number visited. Keys and values are views as for {@link #get}.
   */
  public long scan(KeyRange range, Visitor visitor) {
    return Scans.run(tree.cursor(), range, visitor);
  }
}
