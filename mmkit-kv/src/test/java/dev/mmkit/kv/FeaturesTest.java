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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
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
    // Durable commits: without flushes, freed pages wait until the log is flushed past the commit
    // that freed them (see Commit), so the tail is given back later than these eight commits.
    try (Db db = Db.open(file)) {
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

  /**
   * While a leader's batch is held open, seven callers queue, one of them a function that throws;
   * when the leader commits, the next batch takes all seven: the thrower fails alone and the other
   * six share one commit.
   */
  @Test
  void shouldShareOneCommitAmongQueuedCallersAndFailOnlyTheOneThatThrows() throws Exception {
    try (Db db = Db.open(dir.resolve("batch.db"))) {
      db.update(tx -> tx.createBucketIfAbsent("b"));
      long before = db.read(Tx::id);
      CountDownLatch leaderInside = new CountDownLatch(1);
      CountDownLatch releaseLeader = new CountDownLatch(1);
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        Future<?> leader =
            pool.submit(
                () ->
                    db.batch(
                        tx -> {
                          tx.bucket("b").put("leader", "v");
                          leaderInside.countDown();
                          await(releaseLeader);
                        }));
        assertThat(leaderInside.await(30, TimeUnit.SECONDS)).isTrue();
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 6; t++) {
          String key = "t" + t;
          writers.add(pool.submit(() -> db.batch(tx -> tx.bucket("b").put(key, "v"))));
        }
        Future<?> poison =
            pool.submit(
                () ->
                    db.batch(
                        tx -> {
                          tx.bucket("b").put("poison", "x");
                          throw new IllegalStateException("poison");
                        }));
        awaitQueued(db, 7);
        releaseLeader.countDown();
        leader.get(30, TimeUnit.SECONDS);
        for (Future<?> w : writers) {
          w.get(30, TimeUnit.SECONDS);
        }
        assertThatThrownBy(() -> poison.get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .cause()
            .hasMessage("poison");
      } finally {
        pool.shutdownNow();
      }
      assertThat(db.read(Tx::id) - before)
          .as("the leader's commit, then one commit for the six that did not throw")
          .isEqualTo(2);
      db.view(
          tx -> {
            assertThat(tx.bucket("b").count()).isEqualTo(7);
            assertThat(tx.bucket("b").get(b("poison"))).isNull();
          });
      assertThat(db.check()).isEmpty();
    }
  }

  /** Waits until {@code n} batch calls are queued, which the batcher reports as they arrive. */
  private static void awaitQueued(Db db, int n) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (db.queuedBatchCalls() < n) {
      assertThat(System.nanoTime()).as("%d calls queued", n).isLessThan(deadline);
      Thread.onSpinWait();
      Thread.yield();
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Test
  void shouldRefuseAFileThatIsNotADatabaseWithoutCreatingALockFileBesideIt() throws Exception {
    Path notADatabase = dir.resolve("notes.txt");
    Files.write(notADatabase, new byte[10_000]);
    for (DbOptions options : List.of(DbOptions.defaults().readOnly(true), DbOptions.defaults())) {
      assertThatThrownBy(() -> Db.open(notADatabase, options))
          .isInstanceOf(CorruptDbException.class)
          .hasMessageContaining("not an mmkit-kv database")
          .hasMessageContaining("file=" + notADatabase);
    }
    assertThat(dir.resolve("notes.txt-lock")).doesNotExist();
    assertThat(Files.readAllBytes(notADatabase)).isEqualTo(new byte[10_000]);
  }

  @Test
  void shouldSayADirectoryIsNotADatabase() throws Exception {
    Path directory = Files.createDirectory(dir.resolve("folder"));
    assertThatThrownBy(() -> Db.open(directory, DbOptions.defaults().readOnly(true)))
        .isInstanceOf(CorruptDbException.class)
        .hasMessage("not a database but a directory: file=" + directory);
    assertThat(dir.resolve("folder-lock")).doesNotExist();
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
        CompletableFuture<Throwable> fromOtherThread = new CompletableFuture<>();
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    tx.bucket("b");
                    fromOtherThread.complete(null);
                  } catch (Throwable e) {
                    fromOtherThread.complete(e);
                  }
                });
        assertThat(fromOtherThread.get(30, TimeUnit.SECONDS))
            .as("what the other thread got")
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("belongs to the thread");
        assertThat(tx.bucket("b").getBytes(b("k"))).isEqualTo(b("v"));
      }
    }
  }
}
