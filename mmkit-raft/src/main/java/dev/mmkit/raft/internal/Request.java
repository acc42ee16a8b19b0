package dev.mmkit.raft.internal;

import dev.mmkit.kv.KeyRange;
import dev.mmkit.raft.BucketPath;
import dev.mmkit.raft.Write;

/** Request is what a client asks of the replicated store: one write, or one read. */
public sealed interface Request {
  /**
   * Update asks for a write; it travels through the log.
   *
   * @param write the write
   */
  record Update(Write write) implements Request {}

  /**
   * Get reads one key.
   *
   * @param bucket the bucket
   * @param key the key
   */
  record Get(BucketPath bucket, byte[] key) implements Request {}

  /**
   * Scan reads the keys of a range.
   *
   * @param bucket the bucket
   * @param range the keys and their order
   * @param limit the most entries returned, 0 for no limit
   */
  record Scan(BucketPath bucket, KeyRange range, int limit) implements Request {}

  /**
   * Buckets lists the buckets nested in a bucket.
   *
   * @param bucket the bucket
   */
  record Buckets(BucketPath bucket) implements Request {}
}
