package dev.mmkit.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.testing.ChildJvm;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** FeaturesTest covers the store's promises one by one: limits, growth, space, batching. */
class FeaturesTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  @Test
  void shouldStoreA64MiBValueAndKeysOf1KiB() {
    byte[] big = new byte[64 << 20];
    new Random(3).nextBytes(big);
    byte[] longKey = new byte[1024];
    Arrays.fill(longKey, (byte) 'k');
    try (Db db =
        Db.open(dir.resolve("big.db"), DbOptions.defaults().durability(Durability.NO_SYNC))) {
      db.update(
          tx -> {
            Bucket bk = tx.createBucketIfAbsent("v");
            bk.put(b("big"), big);
            bk.put(longKey, b("long key"));
          });
      db.view(
          tx -> {
            MemorySegment view = tx.bucket("v").get(b("big"));
            assertThat(view.byteSize()).isEqualTo(big.length);
            assertThat(view.get(ValueLayout.JAVA_BYTE, 12345)).isEqualTo(big[12345]);
            assertThat(tx.bucket("v").getBytes(b("big"))).isEqualTo(big);
            assertThat(tx.bucket("v").getBytes(longKey)).isEqualTo(b("long key"));
          });
      assertThat(db.check()).isEmpty();
      assertThat(db.stats().overflowPages()).isGreaterThanOrEqualTo((64 << 20) / 4096);
    }
  }

  @Test
  void shouldKeepAReadersViewsValidWhileTheFileGrows() {
    try (Db db =
        Db.open(dir.resolve("grow.db"), DbOptions.defaults().durability(Durability.NO_SYNC))) {
      db.update(tx -> tx.createBucketIfAbsent("g").put("first", "value"));
      try (Tx reader = db.beginRead()) {
        MemorySegment view = reader.bucket("g").get(b("first"));
        long before = db.stats().fileSize();
        byte[] chunk = new byte[1 << 20];
        for (int i = 0; i < 40; i++) {
          int n = i;
          db.update(tx -> tx.bucket("g").put(b("chunk" + n), chunk));
        }
        assertThat(db.stats().fileSize()).isGreaterThan(before + (32 << 20));
        assertThat(new String(view.toArray(ValueLayout.JAVA_BYTE), UTF_8)).isEqualTo("value");
        assertThat(reader.bucket("g").get(b("chunk3"))).isNull();
      }
      db.view(tx -> assertThat(tx.bucket("g").count()).isEqualTo(41));
    }
  }

  @Test
  void shouldGiveSpaceBackWhenTheTailIsFree() throws Exception {
    Path file = dir.resolve("shrink.db");
    try (Db db = Db.open(file, DbOptions.defaults().durability(Durability.NO_SYNC))) {
      db.update(tx -> tx.createBucketIfAbsent("keep").put("k", "v"));
      db.update(
          tx -> {
            Bucket bk = tx.createBucketIfAbsent("tmp");
            for (int i = 0; i < 20_000; i++) {
              bk.put(ByteBuffer.allocate(4).putInt(i).array(), new byte[100]);
            }
          });
      long full = db.stats().pageCount();
      db.update(tx -> tx.deleteBucket(b("tmp")));
      for (int i = 0; i < 8; i++) {
        db.update(tx -> tx.bucket("keep").put("k", "v2"));
      }
      assertThat(db.stats().pageCount()).as("trimmed at commit").isLessThan(full / 10);
      assertThat(db.check()).isEmpty();
    }
    assertThat(Files.size(file)).as("file shrunk at close").isLessThan(64 * 4096);
    try (Db db = Db.open(file)) {
      db.view(tx -> assertThat(tx.bucket("keep").getBytes(b("k"))).isEqualTo(b("v2")));
      assertThat(db.check()).isEmpty();
    }
  }

  @Test
  void shouldCompactIntoADenseCopy() {
    Path source = dir.resolve("loose.db");
    Path target = dir.resolve("dense.db");
    Random r = new Random(4);
    try (Db db = Db.open(source, DbOptions.defaults().durability(Durability.NO_SYNC))) {
      for (int round = 0; round < 20; round++) {
        db.update(
            tx -> {
              Bucket bk = tx.createBucketIfAbsent("data");
              Bucket nested = bk.createBucketIfAbsent(b("nested"));
              nested.nextSequence();
              for (int i = 0; i < 1000; i++) {
                bk.put(
                    ByteBuffer.allocate(4).putInt(r.nextInt(100_000)).array(),
                    new byte[r.nextInt(200)]);
                nested.put(ByteBuffer.allocate(4).putInt(r.nextInt(1000)).array(), new byte[8]);
              }
            });
      }
      db.compactTo(target);
      DbStats loose = db.stats();
      try (Db dense = Db.open(target)) {
        DbStats packed = dense.stats();
        assertThat(packed.keys()).isEqualTo(loose.keys());
        assertThat(packed.fill()).isGreaterThan(0.9);
        assertThat(packed.pageCount()).isLessThan(loose.pageCount());
        assertThat(dense.check()).isEmpty();
        assertThat(CorruptionTest.same(CorruptionTest.contents(dense), CorruptionTest.contents(db)))
            .isTrue();
        dense.view(tx -> assertThat(tx.bucket("data").bucket("nested").sequence()).isEqualTo(20));
      }
    }
  }

  @Test
  void shouldBatchConcurrentWritersIntoFewerCommits() throws Exception {
    try (Db db = Db.open(dir.resolve("batch.db"))) {
      db.update(tx -> tx.createBucketIfAbsent("b"));
      long before = db.read(Tx::id);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
          int thread = t;
          futures.add(
              pool.submit(
                  () -> {
                    for (int i = 0; i < 25; i++) {
                      int n = i;
                      db.batch(tx -> tx.bucket("b").put("t" + thread + "-" + n, "v"));
                    }
                  }));
        }
        futures.add(
            pool.submit(
                () ->
                    assertThatThrownBy(
                            () ->
                                db.batch(
                                    tx -> {
                                      tx.bucket("b").put("poison", "x");
                                      throw new IllegalStateException("poison");
                                    }))
                        .hasMessage("poison")));
        for (Future<?> f : futures) {
          f.get();
        }
      } finally {
        pool.shutdown();
      }
      long commits = db.read(Tx::id) - before;
      db.view(
          tx -> {
            assertThat(tx.bucket("b").count()).isEqualTo(200);
            assertThat(tx.bucket("b").get(b("poison"))).isNull();
          });
      assertThat(commits).as("commits for 200 batched calls").isLessThan(200);
      assertThat(db.check()).isEmpty();
    }
  }

  @Test
  void shouldWorkWithoutNativeAccess() throws Exception {
    try (ChildJvm child =
        ChildJvm.start(List.of(), NoNativeAccessMain.class, dir.resolve("plain.db").toString())) {
      assertThat(child.awaitLine("ok", Duration.ofSeconds(60))).isEqualTo("ok 5000");
      assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
    }
  }

  @Test
  void shouldConfineATransactionToItsThread() throws Exception {
    try (Db db = Db.open(dir.resolve("thread.db"))) {
      db.update(tx -> tx.createBucketIfAbsent("b").put("k", "v"));
      try (Tx tx = db.beginRead()) {
        Thread other =
            Thread.ofPlatform()
                .start(
                    () ->
                        assertThatThrownBy(() -> tx.bucket("b"))
                            .isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining("belongs to the thread"));
        other.join();
        assertThat(tx.bucket("b").getBytes(b("k"))).isEqualTo(b("v"));
      }
    }
  }
}
