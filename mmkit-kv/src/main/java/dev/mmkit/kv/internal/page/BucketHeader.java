package dev.mmkit.kv.internal.page;

import java.lang.foreign.MemorySegment;

/**
 * BucketHeader is the 32-byte description of a bucket stored in its parent ({@link NodeLayout}) or
 * in the meta page for the root bucket: where its tree starts, its sequence and its key count.
 *
 * @param root the root page id, 0 for an empty bucket
 * @param rootTxid the txid the root page must carry
 * @param sequence the bucket's sequence number
 * @param count the number of keys (not counting nested buckets)
 */
public record BucketHeader(long root, long rootTxid, long sequence, long count) {
  /** The header of a new, empty bucket. */
  public static final BucketHeader EMPTY = new BucketHeader(0, 0, 0, 0);

  /** Writes the header into {@code b} at {@code off}. */
  public void write(byte[] b, int off) {
    Bytes.putLong(b, off + NodeLayout.BUCKET_ROOT, root);
    Bytes.putLong(b, off + NodeLayout.BUCKET_ROOT_TXID, rootTxid);
    Bytes.putLong(b, off + NodeLayout.BUCKET_SEQUENCE, sequence);
    Bytes.putLong(b, off + NodeLayout.BUCKET_COUNT, count);
  }

  /** Returns the header as a new 32-byte array. */
  public byte[] toBytes() {
    byte[] b = new byte[NodeLayout.BUCKET_HEADER];
    write(b, 0);
    return b;
  }

  /** Reads a header from {@code b} at {@code off}. */
  public static BucketHeader read(byte[] b, int off) {
    return new BucketHeader(
        Bytes.getLong(b, off + NodeLayout.BUCKET_ROOT),
        Bytes.getLong(b, off + NodeLayout.BUCKET_ROOT_TXID),
        Bytes.getLong(b, off + NodeLayout.BUCKET_SEQUENCE),
        Bytes.getLong(b, off + NodeLayout.BUCKET_COUNT));
  }

  /** Reads a header from a raw segment at {@code off}. */
  public static BucketHeader read(MemorySegment s, long off) {
    return new BucketHeader(
        Bytes.getLong(s, off + NodeLayout.BUCKET_ROOT),
        Bytes.getLong(s, off + NodeLayout.BUCKET_ROOT_TXID),
        Bytes.getLong(s, off + NodeLayout.BUCKET_SEQUENCE),
        Bytes.getLong(s, off + NodeLayout.BUCKET_COUNT));
  }

  /** Returns a copy with another root. */
  public BucketHeader withRoot(long newRoot, long newRootTxid) {
    return new BucketHeader(newRoot, newRootTxid, sequence, count);
  }
}
