package dev.mmkit.cli.kv;

import dev.mmkit.cli.NotFoundException;
import dev.mmkit.kv.KeyRange;
import dev.mmkit.raft.BucketPath;
import dev.mmkit.raft.Compare;
import dev.mmkit.raft.KeyValue;
import dev.mmkit.raft.KvClient;
import dev.mmkit.raft.Op;
import dev.mmkit.raft.ReadMode;
import dev.mmkit.raft.UnknownBucketException;
import dev.mmkit.raft.Write;
import java.util.ArrayList;
import java.util.List;

/**
 * ClusterStore is a {@link KvStore} over the members of a replicated store, through one {@link
 * KvClient}: each write is one replicated write (committed on a majority's flushed log), each read
 * is made as its {@link ReadMode} says. A scan reads pages of {@value #PAGE} entries, each from one
 * committed state; a scan longer than a page may see writes made between its pages.
 */
final class ClusterStore implements KvStore {
  static final int PAGE = 1000;
  static final int WRITE_BYTES = 512 * 1024;

  private final KvClient client;
  private final ReadMode mode;

  ClusterStore(KvClient client, ReadMode mode) {
    this.client = client;
    this.mode = mode;
  }

  /**
   * Stores the entries in one replicated write, or in several when together they would pass {@value
   * #WRITE_BYTES} bytes (half the members' default request limit).
   */
  @Override
  public void write(BucketOption bucket, List<Entry> entries) {
    BucketPath path = bucket.bucketPath();
    List<Op> ops = bucketsTo(path);
    long bytes = 0;
    for (Entry e : entries) {
      long size = e.key().length + e.value().length + 16L;
      if (bytes + size > WRITE_BYTES && ops.size() > path.names().size()) {
        client.txn(Write.of(ops.toArray(Op[]::new)));
        ops = bucketsTo(path);
        bytes = 0;
      }
      ops.add(Op.put(path, e.key(), e.value()));
      bytes += size;
    }
    client.txn(Write.of(ops.toArray(Op[]::new)));
  }

  /** Returns the creation of every bucket from the top level down to {@code path}. */
  private static List<Op> bucketsTo(BucketPath path) {
    List<Op> ops = new ArrayList<>();
    for (int depth = 1; depth <= path.names().size(); depth++) {
      ops.add(Op.createBucket(new BucketPath(path.names().subList(0, depth))));
    }
    return ops;
  }

  @Override
  public byte[] get(BucketOption bucket, byte[] key) {
    try {
      KeyValue found = client.get(bucket.bucketPath(), key, mode);
      return found == null ? null : found.value();
    } catch (UnknownBucketException e) {
      throw noSuchBucket(bucket, e);
    }
  }

  @Override
  public boolean delete(BucketOption bucket, byte[] key) {
    BucketPath path = bucket.bucketPath();
    // One write that deletes the key only when it holds a value, and says which branch applied.
    Write write = Write.when(Compare.absent(path, key)).then().otherwise(Op.delete(path, key));
    return !client.txn(write).succeeded();
  }

  @Override
  public void scan(BucketOption bucket, KeyRange range, long limit, Visitor visitor) {
    KeyRange rest = range;
    long left = limit;
    while (left > 0) {
      int asked = (int) Math.min(left, PAGE);
      List<KeyValue> page;
      try {
        page = client.scan(bucket.bucketPath(), rest, asked, mode);
      } catch (UnknownBucketException e) {
        throw noSuchBucket(bucket, e);
      }
      for (KeyValue kv : page) {
        visitor.visit(kv.key(), kv.value());
      }
      if (page.size() < asked) {
        return;
      }
      left -= page.size();
      rest = after(rest, page.getLast().key());
    }
  }

  /** Returns the part of {@code range} that comes after {@code last} in its order. */
  static KeyRange after(KeyRange range, byte[] last) {
    if (range.isReversed()) {
      KeyRange below =
          range.lower() == null
              ? KeyRange.lessThan(last)
              : KeyRange.between(range.lower(), range.lowerInclusive(), last, false);
      return below.reversed();
    }
    return range.upper() == null
        ? KeyRange.greaterThan(last)
        : KeyRange.between(last, false, range.upper(), range.upperInclusive());
  }

  private static NotFoundException noSuchBucket(BucketOption bucket, UnknownBucketException e) {
    NotFoundException missing =
        new NotFoundException("no such bucket: bucket=" + bucket.describe());
    missing.initCause(e);
    return missing;
  }

  @Override
  public void close() {
    client.close();
  }
}
