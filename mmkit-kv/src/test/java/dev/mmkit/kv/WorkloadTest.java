package dev.mmkit.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WorkloadTest runs long random workloads (puts, overwrites, deletes, large values, long readers)
 * against a model, deep enough to split and merge trees of several levels and to recycle pages many
 * times over.
 */
class WorkloadTest {
  @TempDir Path dir;

  @Test
  void shouldMatchModelUnderRandomWorkload() {
    run(40, 2000, 30_000, 7);
  }

  @Test
  @Tag("soak")
  void shouldMatchModelUnderLongRandomWorkload() {
    run(400, 5000, 300_000, 11);
  }

  private void run(int commits, int opsPerCommit, int keySpace, long seed) {
    Random r = new Random(seed);
    TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
    Path file = dir.resolve("w.db");
    try (Db db = Db.open(file, DbOptions.defaults().durability(Durability.NO_SYNC))) {
      Tx reader = null;
      TreeMap<byte[], byte[]> readerModel = null;
      for (int c = 0; c < commits; c++) {
        try (Tx tx = db.beginWrite()) {
          Bucket b = tx.createBucketIfAbsent("w");
          for (int i = 0; i < opsPerCommit; i++) {
            byte[] k = key(r.nextInt(keySpace));
            if (r.nextInt(3) == 0) {
              assertThat(b.delete(k)).isEqualTo(model.remove(k) != null);
            } else {
              byte[] v = value(r);
              b.put(k, v);
              model.put(k, v);
            }
          }
          tx.commit();
        }
        if (c % 10 == 9) {
          assertThat(db.check()).isEmpty();
        }
        if (reader != null && r.nextInt(4) == 0) {
          compare(reader.bucket("w"), readerModel);
          reader.close();
          reader = null;
        }
        if (reader == null && r.nextInt(4) == 0) {
          reader = db.beginRead();
          readerModel = new TreeMap<>(model);
        }
      }
      if (reader != null) {
        compare(reader.bucket("w"), readerModel);
        reader.close();
      }
      db.view(tx -> compare(tx.bucket("w"), model));
      assertThat(db.check()).isEmpty();
      DbStats stats = db.stats();
      assertThat(stats.keys()).isEqualTo(model.size());
      assertThat(stats.depth()).isGreaterThanOrEqualTo(2);
    }
  }

  private static void compare(Bucket b, TreeMap<byte[], byte[]> model) {
    assertThat(b.count()).isEqualTo(model.size());
    Cursor c = b.cursor();
    boolean ok = c.first();
    for (Map.Entry<byte[], byte[]> e : model.entrySet()) {
      assertThat(ok).isTrue();
      assertThat(c.keyBytes()).isEqualTo(e.getKey());
      assertThat(c.valueBytes()).isEqualTo(e.getValue());
      ok = c.next();
    }
    assertThat(ok).isFalse();
  }

  private static byte[] key(int i) {
    return ByteBuffer.allocate(12).putInt(i * 7919 % 1_000_003).putLong(i).array();
  }

  private static byte[] value(Random r) {
    int n = r.nextInt(100) == 0 ? 2500 + r.nextInt(20000) : r.nextInt(120);
    byte[] v = new byte[n];
    r.nextBytes(v);
    return v;
  }
}
