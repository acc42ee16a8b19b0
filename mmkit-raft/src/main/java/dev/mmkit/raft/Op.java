package dev.mmkit.raft;

/**
 * Op is one change of a {@link Write}: a put, a delete, or the creation or deletion of a bucket.
 * The changes of a write are applied in order, together, in one transaction of every member.
 */
public sealed interface Op {
  /** Returns a put of {@code value} under {@code key} in the bucket at {@code bucket}. */
  static Op put(BucketPath bucket, byte[] key, byte[] value) {
    return new Put(bucket, key.clone(), value.clone());
  }

  /** Returns a delete of {@code key} in the bucket at {@code bucket}; deleting nothing is fine. */
  static Op delete(BucketPath bucket, byte[] key) {
    return new Delete(bucket, key.clone());
  }

  /** Returns the creation of the bucket at {@code bucket}; an existing bucket is kept as it is. */
  static Op createBucket(BucketPath bucket) {
    return new CreateBucket(bucket);
  }

  /** Returns the deletion of the bucket at {@code bucket} with all it holds; none is fine. */
  static Op deleteBucket(BucketPath bucket) {
    return new DeleteBucket(bucket);
  }

  /**
   * Put stores a value under a key, replacing any value; the key's revision becomes the write's.
   *
   * @param bucket the bucket holding the key, which must exist
   * @param key the key, 1 to 1024 bytes
   * @param value the value
   */
  record Put(BucketPath bucket, byte[] key, byte[] value) implements Op {}

  /**
   * Delete removes a key and its value.
   *
   * @param bucket the bucket holding the key, which must exist
   * @param key the key
   */
  record Delete(BucketPath bucket, byte[] key) implements Op {}

  /**
   * CreateBucket creates a bucket when it does not exist; its enclosing bucket must exist.
   *
   * @param bucket the path of the new bucket
   */
  record CreateBucket(BucketPath bucket) implements Op {}

  /**
   * DeleteBucket deletes a bucket with everything nested in it, when it exists.
   *
   * @param bucket the path of the bucket
   */
  record DeleteBucket(BucketPath bucket) implements Op {}
}
