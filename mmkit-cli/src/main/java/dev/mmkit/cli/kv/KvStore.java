package dev.mmkit.cli.kv;

import dev.mmkit.kv.KeyRange;
import java.util.List;

/**
 * KvStore is what the data verbs ({@code put get del scan load dump}) read and write: a database
 * file ({@link LocalStore}) or the members of a replicated store ({@link ClusterStore}). The verbs
 * parse, print and choose exit codes; a store only moves bytes. A bucket that does not exist fails
 * a read with {@link dev.mmkit.cli.NotFoundException}.
 */
interface KvStore extends AutoCloseable {

  /**
   * Entry is one key and its value.
   *
   * @param key the key
   * @param value the value
   */
  record Entry(byte[] key, byte[] value) {}

  /** Visitor receives the entries of a scan in its order. */
  @FunctionalInterface
  interface Visitor {
    /** Receives one entry; the arrays are the caller's to keep. */
    void visit(byte[] key, byte[] value);
  }

  /**
   * Stores {@code entries} in one durable commit (one replicated write), creating the bucket and
   * the buckets that lead to it when missing.
   */
  void write(BucketOption bucket, List<Entry> entries);

  /** Returns the value stored under {@code key}, or null when there is none. */
  byte[] get(BucketOption bucket, byte[] key);

  /** Deletes {@code key} in one durable commit; returns whether it held a value. */
  boolean delete(BucketOption bucket, byte[] key);

  /** Hands at most {@code limit} entries of {@code range} to {@code visitor}, in its order. */
  void scan(BucketOption bucket, KeyRange range, long limit, Visitor visitor);

  /** Closes the database or the connection to the cluster. */
  @Override
  void close();
}
