package dev.mmkit.raft.internal;

import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Tx;
import dev.mmkit.raft.BucketPath;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;

/**
 * StoreLayout is how a member keeps the replicated store in its mmkit-kv database: a reserved
 * bucket that says which log entry the database has applied and which cluster it belongs to, and
 * the users' buckets, whose values carry the revision that wrote them.
 *
 * <pre>
 * database root
 * ├── "meta"                      reserved, changed in the same transaction as the data
 * │     "applied" → | term u64 | index u64 |     the last log entry applied
 * │     "group"   → | msb u64 | lsb u64 |         the Raft group id (a UUID) of the cluster
 * └── "data"                      the users' top level ({@link BucketPath#ROOT})
 *       key      → | revision u64 | value bytes ... |   revision = index of the entry that wrote it
 *       bucket   → a nested bucket, laid out like "data"
 * </pre>
 *
 * Integers are big-endian. A database with no "meta" bucket has applied nothing (term 0, index -1,
 * as Raft counts before the first entry).
 */
public final class StoreLayout {
  /** The size of the revision in front of every stored value. */
  public static final int REVISION_BYTES = 8;

  private static final byte[] META = bytes("meta");
  private static final byte[] DATA = bytes("data");
  private static final byte[] APPLIED = bytes("applied");
  private static final byte[] GROUP = bytes("group");

  private StoreLayout() {}

  /**
   * Applied is the last log entry a database applied.
   *
   * @param term its term
   * @param index its index, -1 for none
   */
  public record Applied(long term, long index) {
    /** Nothing applied yet. */
    public static final Applied NONE = new Applied(0, -1);
  }

  /** Returns the last entry applied to the database {@code tx} reads. */
  public static Applied applied(Tx tx) {
    Bucket meta = tx.bucket(META);
    byte[] v = meta == null ? null : meta.getBytes(APPLIED);
    if (v == null) {
      return Applied.NONE;
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    return new Applied(b.getLong(), b.getLong());
  }

  /** Records in {@code tx} that the entry ({@code term}, {@code index}) is applied. */
  public static void setApplied(Tx tx, long term, long index) {
    tx.createBucketIfAbsent(META)
        .put(APPLIED, ByteBuffer.allocate(16).putLong(term).putLong(index).array());
  }

  /** Returns the group id the database belongs to, or null when none is recorded yet. */
  public static UUID group(Tx tx) {
    Bucket meta = tx.bucket(META);
    byte[] v = meta == null ? null : meta.getBytes(GROUP);
    if (v == null) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(v);
    return new UUID(b.getLong(), b.getLong());
  }

  /** Records in {@code tx} the group id the database belongs to. */
  public static void setGroup(Tx tx, UUID group) {
    tx.createBucketIfAbsent(META)
        .put(
            GROUP,
            ByteBuffer.allocate(16)
                .putLong(group.getMostSignificantBits())
                .putLong(group.getLeastSignificantBits())
                .array());
  }

  /** Returns the users' top-level bucket, creating it in a write transaction when missing. */
  public static Bucket data(Tx tx) {
    return tx.isWritable() ? tx.createBucketIfAbsent(DATA) : tx.bucket(DATA);
  }

  /** Returns the bucket at {@code path}, or null when it (or a bucket on the way) is missing. */
  public static Bucket resolve(Tx tx, BucketPath path) {
    Bucket b = data(tx);
    for (byte[] name : path.names()) {
      if (b == null) {
        return null;
      }
      b = b.bucket(name);
    }
    return b;
  }

  /** Returns the stored form of {@code value} written by the entry at {@code revision}. */
  public static byte[] stored(long revision, byte[] value) {
    return ByteBuffer.allocate(REVISION_BYTES + value.length).putLong(revision).put(value).array();
  }

  /** Returns the revision of a stored value. */
  public static long revision(byte[] stored) {
    return ByteBuffer.wrap(stored).getLong();
  }

  /** Returns the user's value of a stored value. */
  public static byte[] value(byte[] stored) {
    return Arrays.copyOfRange(stored, REVISION_BYTES, stored.length);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
