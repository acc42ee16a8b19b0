package dev.mmkit.raft;

/**
 * Compare is a condition on one key that guards a {@link Write}, evaluated by every member against
 * the store as the write's log entry finds it. A key in a bucket that does not exist is absent.
 */
public sealed interface Compare {
  /** Returns a condition that holds when {@code key} holds no value. */
  static Compare absent(BucketPath bucket, byte[] key) {
    return new Absent(bucket, key.clone());
  }

  /** Returns a condition that holds when {@code key} holds exactly {@code value}. */
  static Compare valueEquals(BucketPath bucket, byte[] key, byte[] value) {
    return new ValueEquals(bucket, key.clone(), value.clone());
  }

  /**
   * Returns a condition that holds when {@code key} was last written by the write whose revision is
   * {@code revision}; revision 0 stands for an absent key.
   */
  static Compare revisionEquals(BucketPath bucket, byte[] key, long revision) {
    return new RevisionEquals(bucket, key.clone(), revision);
  }

  /** Returns the bucket of the key compared. */
  BucketPath bucket();

  /** Returns the key compared. */
  byte[] key();

  /**
   * Absent holds when the key holds no value.
   *
   * @param bucket the bucket of the key
   * @param key the key
   */
  record Absent(BucketPath bucket, byte[] key) implements Compare {}

  /**
   * ValueEquals holds when the key holds exactly the value.
   *
   * @param bucket the bucket of the key
   * @param key the key
   * @param value the value expected
   */
  record ValueEquals(BucketPath bucket, byte[] key, byte[] value) implements Compare {}

  /**
   * RevisionEquals holds when the key's revision (see {@link KeyValue#revision()}) is the one
   * given, 0 meaning absent.
   *
   * @param bucket the bucket of the key
   * @param key the key
   * @param revision the revision expected
   */
  record RevisionEquals(BucketPath bucket, byte[] key, long revision) implements Compare {}
}
