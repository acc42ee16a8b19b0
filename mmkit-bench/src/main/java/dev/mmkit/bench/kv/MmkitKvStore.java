package dev.mmkit.bench.kv;

import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.KeyRange;
import dev.mmkit.kv.Tx;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * MmkitKvStore runs mmkit-kv with its defaults (4 KiB pages, {@code Durability.SYNC}): one bucket,
 * one read transaction per get, values read in place from the mapping (zero copy). It needs no JVM
 * flag beyond native access.
 */
final class MmkitKvStore implements KvStore {
  private static final byte[] BUCKET = "kv".getBytes(StandardCharsets.UTF_8);
  private static final ValueLayout.OfLong BIG_ENDIAN_LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private final Db db;

  MmkitKvStore(Path directory) {
    db = Db.open(directory.resolve("mmkit.db"));
    db.update(tx -> tx.createBucketIfAbsent(BUCKET));
  }

  @Override
  public String name() {
    return "mmkit-kv";
  }

  @Override
  public String configuration() {
    return "mmkit-kv 0.1.0, DbOptions.defaults() (4 KiB pages, Durability.SYNC), one bucket,"
        + " one read transaction per get, values read in place (MemorySegment views)";
  }

  @Override
  public String durability() {
    return "durable: a commit writes its pages and meta page, then one fdatasync (Durability.SYNC)";
  }

  @Override
  public void load(int[] order) {
    byte[] key = new byte[KvDataset.KEY_BYTES];
    byte[] value = new byte[KvDataset.VALUE_BYTES];
    db.update(
        tx -> {
          Bucket bucket = tx.bucket(BUCKET);
          for (int i : order) {
            bucket.put(KvDataset.key(i, key), KvDataset.value(i, value));
          }
        });
  }

  @Override
  public void putDurable(byte[] key, byte[] value) {
    db.update(tx -> tx.bucket(BUCKET).put(key, value));
  }

  /** Shares commits among concurrent callers with {@code Db.batch} (group commit). */
  @Override
  public void putDurableShared(byte[] key, byte[] value) {
    db.batch(tx -> tx.bucket(BUCKET).put(key, value));
  }

  @Override
  public long get(byte[] key) {
    try (Tx tx = db.beginRead()) {
      MemorySegment value = tx.bucket(BUCKET).get(key);
      return value == null ? -1 : digest(value);
    }
  }

  @Override
  public long scan() {
    long[] result = new long[1];
    try (Tx tx = db.beginRead()) {
      tx.bucket(BUCKET)
          .scan(
              KeyRange.all(),
              (key, value) -> {
                result[0] += 1 + digest(value);
                return true;
              });
    }
    return result[0];
  }

  @Override
  public List<String> integrityProblems() {
    return db.check().stream().map(String::valueOf).toList();
  }

  @Override
  public String checker() {
    return "Db.check(): every page's checksum and structure, key order, counts, free pages";
  }

  private static long digest(MemorySegment value) {
    return value.get(BIG_ENDIAN_LONG, 0) ^ value.byteSize();
  }

  @Override
  public void flush() {
    // Every commit is already on stable storage (Durability.SYNC).
  }

  @Override
  public void close() {
    db.close();
  }
}
