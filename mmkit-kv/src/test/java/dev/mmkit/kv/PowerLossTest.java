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
 * PowerLossTest cuts the power at random writes and flushes through {@link PowerLossDisk}, which
 * keeps only what was flushed (plus a random part of the rest, some of it torn), and checks that
 * the database reopens sound: in the default mode with every acknowledged commit, in the no-meta-
 * sync mode at one of the last commits.
 */
class PowerLossTest {
  @TempDir Path dir;

  @Test
  void shouldLoseNothingAcknowledgedInSyncMode() throws Exception {
    run(Durability.SYNC, 60, 21);
  }

  @Test
  void shouldStayConsistentWithoutMetaSync() throws Exception {
    run(Durability.NO_META_SYNC, 40, 22);
  }

  @Test
  @Tag("soak")
  void shouldLoseNothingAcknowledgedAcrossManyPowerLosses() throws Exception {
    run(Durability.SYNC, 1000, 23);
  }

  private void run(Durability durability, int cycles, long seed) throws Exception {
    Path file = dir.resolve("power.db");
    PowerLossDisk disk = new PowerLossDisk(file, seed);
    Random random = new Random(seed);
    DbOptions options = DbOptions.defaults().durability(durability);
    TreeMap<byte[], byte[]> acknowledged = new TreeMap<>(Arrays::compareUnsigned);
    TreeMap<byte[], byte[]> previous = acknowledged;
    TreeMap<byte[], byte[]> inFlight = null;
    long commits = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      try (Db db = Db.open(file, options, disk::open)) {
        TreeMap<byte[], byte[]> found = contents(db);
        if (durability == Durability.SYNC) {
          assertThat(same(found, acknowledged) || same(found, inFlight))
              .as(
                  "cycle %d: state is the last acknowledged commit or the one in flight:"
                      + " found=%d, acknowledged=%d, inFlight=%s, previous=%s, txid=%d",
                  cycle,
                  found.size(),
                  acknowledged.size(),
                  inFlight == null ? "none" : inFlight.size(),
                  same(found, previous),
                  db.read(Tx::id))
              .isTrue();
        } else {
          assertThat(same(found, acknowledged) || same(found, inFlight) || same(found, previous))
              .as("cycle %d: state is one of the last commits", cycle)
              .isTrue();
        }
        assertThat(db.check()).isEmpty();
        acknowledged = found;
        previous = found;
        inFlight = null;
        disk.arm(1 + random.nextInt(120));
        try {
          for (int i = 0; i < 40; i++) {
            TreeMap<byte[], byte[]> next = new TreeMap<>(acknowledged);
            Map<byte[], byte[]> change = change(random, next);
            inFlight = next;
            db.update(
                tx -> {
                  Bucket b = tx.createBucketIfAbsent("p");
                  for (Map.Entry<byte[], byte[]> e : change.entrySet()) {
                    if (e.getValue() == null) {
                      b.delete(e.getKey());
                    } else {
                      b.put(e.getKey(), e.getValue());
                    }
                  }
                });
            previous = acknowledged;
            acknowledged = next;
            inFlight = null;
            commits++;
          }
        } catch (PowerLossDisk.PowerLoss expected) {
          // The power went mid-commit; the disk decides below what survived.
        }
      }
      disk.powerCycle();
    }
    System.out.println(
        "power losses="
            + disk.losses()
            + ", commits acknowledged="
            + commits
            + ", mode="
            + durability);
    assertThat(disk.losses()).isGreaterThan(cycles / 2);
  }

  private static boolean same(TreeMap<byte[], byte[]> a, TreeMap<byte[], byte[]> b) {
    if (b == null || a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<byte[], byte[]> e : a.entrySet()) {
      if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static TreeMap<byte[], byte[]> contents(Db db) {
    TreeMap<byte[], byte[]> found = new TreeMap<>(Arrays::compareUnsigned);
    db.view(
        tx -> {
          Bucket b = tx.bucket("p");
          if (b == null) {
            return;
          }
          Cursor c = b.cursor();
          for (boolean ok = c.first(); ok; ok = c.next()) {
            found.put(c.keyBytes(), c.valueBytes());
          }
          assertThat(b.count()).isEqualTo(found.size());
        });
    return found;
  }

  /** Returns a random change (null value = delete) and applies it to {@code model}. */
  private static Map<byte[], byte[]> change(Random random, TreeMap<byte[], byte[]> model) {
    Map<byte[], byte[]> change = new TreeMap<>(Arrays::compareUnsigned);
    int n = 1 + random.nextInt(30);
    for (int i = 0; i < n; i++) {
      byte[] key = ByteBuffer.allocate(4).putInt(random.nextInt(2000)).array();
      if (random.nextInt(4) == 0) {
        change.put(key, null);
        model.remove(key);
      } else {
        byte[] value = new byte[random.nextInt(50) == 0 ? 9000 : random.nextInt(300)];
        random.nextBytes(value);
        change.put(key, value);
        model.put(key, value);
      }
    }
    return change;
  }
}
