package dev.mmkit.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BackupTest copies databases with {@link Db#backupTo} while a writer keeps committing, and checks
 * that every copy is one commit exactly, sound, owner-only, and of the same page size.
 */
class BackupTest {
  private static final int SLOTS = 300;

  @TempDir Path dir;

  /**
   * Commit {@code i} of the writer puts value {@code i} under key {@code i % SLOTS} (a large one
   * now and then) and sets the counter to {@code i}: from the counter alone, the whole content is
   * known. Each backup must hold exactly the content of its counter's commit.
   */
  @Test
  void shouldCopyOneCommitExactlyWhileAWriterGoesOn() throws Exception {
    try (Db db =
        Db.open(dir.resolve("live.db"), DbOptions.defaults().durability(Durability.NO_SYNC))) {
      for (long i = 0; i < SLOTS; i++) {
        long n = i;
        db.update(tx -> commit(tx, n));
      }
      AtomicBoolean stop = new AtomicBoolean();
      CountDownLatch writing = new CountDownLatch(1);
      CompletableFuture<Long> writer =
          CompletableFuture.supplyAsync(
              () -> {
                long i = SLOTS;
                while (!stop.get()) {
                  long n = i++;
                  db.update(tx -> commit(tx, n));
                  writing.countDown();
                }
                return i;
              },
              Executors.newVirtualThreadPerTaskExecutor());
      int overlapped = 0;
      try {
        assertThat(writing.await(60, TimeUnit.SECONDS)).as("the writer committed").isTrue();
        // At least 20 copies, and more until some were made while the writer committed: a short
        // copy can fall between two commits however busy the writer is.
        for (int b = 0; b < 20 || (overlapped < 3 && b < 2000); b++) {
          Path copy = dir.resolve("copy" + b + ".db");
          long before = db.read(Tx::id);
          long copied = db.backupTo(copy);
          if (db.read(Tx::id) > before) {
            overlapped++;
          }
          assertThat(copied).isGreaterThanOrEqualTo(before);
          verifyCopy(copy, copied);
          Files.delete(copy);
          Files.deleteIfExists(dir.resolve("copy" + b + ".db-lock"));
        }
      } finally {
        stop.set(true);
      }
      assertThat(writer.get(60, TimeUnit.SECONDS)).isGreaterThan(SLOTS);
      assertThat(overlapped).as("backups during which the writer committed").isPositive();
    }
  }

  @Test
  void shouldKeepNestedBucketsLargeValuesAndThePageSize() throws Exception {
    Path source = dir.resolve("nested.db");
    try (Db db = Db.open(source, DbOptions.defaults().pageSize(8192))) {
      db.update(
          tx -> {
            Bucket inner = tx.createBucketIfAbsent("outer").createBucketIfAbsent("inner");
            inner.put("big".getBytes(UTF_8), value(70_000, 3));
            inner.setSequence(42);
            for (int i = 0; i < 2000; i++) {
              tx.createBucketIfAbsent("flat").put(("k" + i).getBytes(UTF_8), value(i % 300, i));
            }
          });
      db.backupTo(dir.resolve("nested-copy.db"));
      try (Db copy = Db.open(dir.resolve("nested-copy.db"))) {
        assertThat(copy.options().pageSize()).isEqualTo(8192);
        assertThat(copy.stats().pageSize()).isEqualTo(8192);
        assertThat(CorruptionTest.same(CorruptionTest.contents(copy), CorruptionTest.contents(db)))
            .isTrue();
        assertThat(copy.check()).isEmpty();
        assertThat(copy.discardedCommit()).isEmpty();
      }
    }
    assertThat(
            PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("nested-copy.db"))))
        .isEqualTo("rw-------");
  }

  @Test
  void shouldRefuseATargetThatExistsAndLeaveIt() throws Exception {
    Path target = dir.resolve("there.db");
    Files.writeString(target, "not mine");
    try (Db db = Db.open(dir.resolve("src.db"))) {
      db.update(tx -> tx.createBucketIfAbsent("b").put("k", "v"));
      assertThatThrownBy(() -> db.backupTo(target))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("backup target exists");
    }
    assertThat(Files.readString(target)).isEqualTo("not mine");
  }

  private static void commit(Tx tx, long i) {
    Bucket b = tx.createBucketIfAbsent("slots");
    b.put(key(i % SLOTS), i % 50 == 0 ? value(9000, i) : value((int) (i % 200), i));
    tx.createBucketIfAbsent("meta")
        .put("counter".getBytes(UTF_8), ByteBuffer.allocate(8).putLong(i).array());
  }

  private static void verifyCopy(Path copy, long txid) {
    try (Db db = Db.open(copy, DbOptions.defaults().readOnly(true))) {
      assertThat(db.read(Tx::id)).isEqualTo(txid);
      assertThat(db.check()).as("check of %s", copy).isEmpty();
      assertThat(db.discardedCommit()).isEmpty();
      db.view(
          tx -> {
            long last =
                ByteBuffer.wrap(tx.bucket("meta").getBytes("counter".getBytes(UTF_8))).getLong();
            Bucket b = tx.bucket("slots");
            assertThat(b.count()).isEqualTo(SLOTS);
            for (long slot = 0; slot < SLOTS; slot++) {
              long i = last - Math.floorMod(last - slot, SLOTS);
              byte[] expected = i % 50 == 0 ? value(9000, i) : value((int) (i % 200), i);
              assertThat(b.getBytes(key(slot)))
                  .as("slot %d at commit %d", slot, last)
                  .isEqualTo(expected);
            }
          });
    }
  }

  private static byte[] key(long slot) {
    return ByteBuffer.allocate(8).putLong(slot).array();
  }

  private static byte[] value(int length, long seed) {
    byte[] v = new byte[length];
    Arrays.fill(v, (byte) seed);
    if (length > 8) {
      ByteBuffer.wrap(v).putLong(seed);
    }
    return v;
  }
}
