package dev.mmkit.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Cursor;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.Tx;
import dev.mmkit.raft.internal.StoreLayout;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * StoreDigest reads a stopped member's database: it checks it with {@link Db#check()}, hashes the
 * users' data (every bucket, key, value and revision) and lists one bucket's values.
 *
 * @param digest the SHA-256 of the users' data, in hex
 * @param applied the last log index the database applied
 * @param values the values of the bucket asked for, by UTF-8 key
 */
record StoreDigest(String digest, long applied, Map<String, String> values) {
  /** Reads the database of the member whose directory is {@code dir}. */
  static StoreDigest read(Path dir, BucketPath bucket) {
    try (Db db = Db.open(dir.resolve("kv.db"))) {
      assertThat(db.check()).as("check of " + dir).isEmpty();
      try (Tx tx = db.beginRead()) {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        hash(StoreLayout.data(tx), sha);
        Map<String, String> values = new TreeMap<>();
        Bucket b = StoreLayout.resolve(tx, bucket);
        if (b != null) {
          Cursor c = b.cursor();
          for (boolean ok = c.first(); ok; ok = c.next()) {
            if (c.valueBytes() != null) {
              values.put(new String(c.keyBytes()), new String(StoreLayout.value(c.valueBytes())));
            }
          }
        }
        return new StoreDigest(
            HexFormat.of().formatHex(sha.digest()), StoreLayout.applied(tx).index(), values);
      }
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void hash(Bucket bucket, MessageDigest sha) {
    if (bucket == null) {
      return;
    }
    Cursor c = bucket.cursor();
    for (boolean ok = c.first(); ok; ok = c.next()) {
      byte[] key = c.keyBytes();
      sha.update(key);
      byte[] value = c.valueBytes();
      if (value != null) {
        sha.update(value);
      }
    }
    for (byte[] name : bucket.bucketNames()) {
      sha.update((byte) '/');
      sha.update(name);
      hash(bucket.bucket(name), sha);
    }
  }
}
