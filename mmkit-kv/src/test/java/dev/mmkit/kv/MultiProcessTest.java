package dev.mmkit.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.TimedOutException;
import dev.mmkit.core.testing.ChildJvm;
import dev.mmkit.kv.internal.storage.FileChannelPageFile;
import dev.mmkit.kv.internal.storage.PageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MultiProcessTest opens one database from several JVMs: readers in another process see only
 * committed, consistent snapshots while this one writes; writers in two processes never lose an
 * update; and a reader process killed with SIGKILL does not pin pages forever.
 */
class MultiProcessTest {
  @TempDir Path dir;

  @Test
  void shouldShowReadersInAnotherProcessOnlyCommittedSnapshots() throws Exception {
    Path file = dir.resolve("bank.db");
    Random random = new Random(9);
    try (Db db = Db.open(file, DbOptions.defaults().durability(Durability.NO_SYNC))) {
      db.update(
          tx -> {
            Bucket bank = tx.createBucketIfAbsent("bank");
            for (int i = 0; i < PeerProcess.ACCOUNTS; i++) {
              bank.put(
                  account(i),
                  ByteBuffer.allocate(8).putLong(PeerProcess.TOTAL / PeerProcess.ACCOUNTS).array());
            }
            bank.put("n".getBytes(), ByteBuffer.allocate(8).putLong(0).array());
            tx.createBucketIfAbsent("log")
                .put("n".getBytes(), ByteBuffer.allocate(8).putLong(0).array());
          });
      try (ChildJvm reader = ChildJvm.start(PeerProcess.class, "reader", file.toString(), "3000")) {
        reader.awaitLine("ready", Duration.ofSeconds(60));
        long transfers = 0;
        while (reader.isAlive() && transfers < 20_000) {
          long t = ++transfers;
          db.update(tx -> transfer(tx, random, t));
        }
        reader.awaitLine("done", Duration.ofSeconds(60));
        assertThat(reader.awaitExit(Duration.ofSeconds(30))).isZero();
        Set<Long> seen = new TreeSet<>();
        for (String line : reader.output()) {
          assertThat(line).doesNotStartWith("BAD");
          if (line.startsWith("ok ")) {
            seen.add(Long.parseLong(line.substring(3)));
          }
        }
        assertThat(seen.size()).as("distinct snapshots seen by the other process").isGreaterThan(3);
        assertThat(transfers).isGreaterThan(10);
      }
      assertThat(db.check()).isEmpty();
    }
  }

  private static void transfer(Tx tx, Random random, long t) {
    Bucket bank = tx.bucket("bank");
    byte[] from = account(random.nextInt(PeerProcess.ACCOUNTS));
    byte[] to = account(random.nextInt(PeerProcess.ACCOUNTS));
    long amount = random.nextInt(100);
    long a = ByteBuffer.wrap(bank.getBytes(from)).getLong();
    bank.put(from, ByteBuffer.allocate(8).putLong(a - amount).array());
    long b = ByteBuffer.wrap(bank.getBytes(to)).getLong();
    bank.put(to, ByteBuffer.allocate(8).putLong(b + amount).array());
    bank.put("n".getBytes(), ByteBuffer.allocate(8).putLong(t).array());
    Bucket log = tx.bucket("log");
    log.put(
        ByteBuffer.allocate(9).put((byte) 'x').putLong(t).array(), new byte[random.nextInt(300)]);
    log.put("n".getBytes(), ByteBuffer.allocate(8).putLong(t).array());
  }

  private static byte[] account(int i) {
    return ("a" + (1000 + i)).getBytes();
  }

  @Test
  void shouldNotLoseUpdatesOfWritersInTwoProcesses() throws Exception {
    Path file = dir.resolve("counter.db");
    try (Db db = Db.open(file)) {
      db.update(tx -> tx.createBucketIfAbsent("counter"));
    }
    try (ChildJvm a = ChildJvm.start(PeerProcess.class, "increment", file.toString(), "300");
        ChildJvm b = ChildJvm.start(PeerProcess.class, "increment", file.toString(), "300")) {
      a.awaitLine("done", Duration.ofSeconds(120));
      b.awaitLine("done", Duration.ofSeconds(120));
      assertThat(a.awaitExit(Duration.ofSeconds(30))).isZero();
      assertThat(b.awaitExit(Duration.ofSeconds(30))).isZero();
    }
    try (Db db = Db.open(file)) {
      long n =
          db.read(tx -> ByteBuffer.wrap(tx.bucket("counter").getBytes("c".getBytes())).getLong());
      assertThat(n).isEqualTo(600);
      assertThat(db.check()).isEmpty();
    }
  }

  /**
   * Opening races a writer in another process that grows the file. The race is forced here,
   * deterministically, by a file layer under the opening handle: each of its first size() calls
   * reads the size, lets another handle make two commits that grow the file, and only then answers.
   * Open must judge the meta pages against a size read after it read them, retry when they changed
   * meanwhile, and come up at the newest commit.
   */
  @Test
  void shouldOpenWhileAnotherHandleGrowsTheFile() throws Exception {
    Path file = dir.resolve("growing.db");
    try (Db db = Db.open(file)) {
      db.update(tx -> tx.createBucketIfAbsent("b").put("k", "0"));
    }
    AtomicInteger commits = new AtomicInteger();
    PageFile.Opener racing =
        (path, writable) ->
            path.equals(file)
                ? new GrowingElsewhere(
                    FileChannelPageFile.open(path, writable), path, writable, commits)
                : FileChannelPageFile.open(path, writable);
    try (Db db = Db.open(file, DbOptions.defaults(), racing)) {
      assertThat(commits.get()).as("commits made elsewhere during open").isGreaterThan(2);
      String value = db.read(tx -> new String(tx.bucket("b").getBytes("k".getBytes())));
      assertThat(value).as("the newest commit").isEqualTo(Integer.toString(commits.get()));
      assertThat(db.discardedCommit()).isEmpty();
      assertThat(db.check()).isEmpty();
    }
  }

  /**
   * A page file that, opened writable, makes its first three size() calls read the size, let
   * another handle commit twice, each commit adding about 200 KB, and then answer the size read.
   */
  private static final class GrowingElsewhere extends ForwardingPageFile {
    private static final int RACING_CALLS = 3;
    private final Path path;
    private final boolean writable;
    private final AtomicInteger commits;

    GrowingElsewhere(PageFile inner, Path path, boolean writable, AtomicInteger commits) {
      super(inner);
      this.path = path;
      this.writable = writable;
      this.commits = commits;
    }

    @Override
    public long size() throws IOException {
      long size = super.size();
      if (writable && commits.get() < 2 * RACING_CALLS) {
        try (Db other = Db.open(path)) {
          for (int i = 0; i < 2; i++) {
            String n = Integer.toString(commits.incrementAndGet());
            other.update(
                tx -> {
                  Bucket b = tx.bucket("b");
                  b.put("k", n);
                  for (int j = 0; j < 200; j++) {
                    b.put(("pad" + n + "-" + j).getBytes(), new byte[1000]);
                  }
                });
          }
        }
      }
      return size;
    }
  }

  @Test
  void shouldNotLetADeadReaderPinPagesForever() throws Exception {
    Path file = dir.resolve("pinned.db");
    try (Db db = Db.open(file, DbOptions.defaults().durability(Durability.NO_SYNC))) {
      rewrite(db, 1);
      try (ChildJvm holder = ChildJvm.start(PeerProcess.class, "hold", file.toString())) {
        holder.awaitLine("holding", Duration.ofSeconds(60));
        for (int i = 0; i < 5; i++) {
          rewrite(db, 2 + i);
        }
        long pinned = db.stats().pendingPages();
        assertThat(pinned).as("pages a live reader may still see are kept").isGreaterThan(120);
        DbStats pinning = db.stats();
        assertThat(pinning.readers()).isEqualTo(1);
        assertThat(pinning.oldestReaderLag())
            .as("commits since the holder's snapshot")
            .isEqualTo(5);
        holder.kill();
      }
      Thread.sleep(300); // Writers trust a liveness check for 250 ms.
      for (int i = 0; i < 5; i++) {
        rewrite(db, 10 + i);
      }
      DbStats after = db.stats();
      assertThat(after.readers()).isZero();
      assertThat(after.oldestReaderLag()).isZero();
      assertThat(after.pendingPages()).as("pages freed once the reader died").isLessThan(100);
      long pages = after.pageCount();
      for (int i = 0; i < 20; i++) {
        rewrite(db, 20 + i);
      }
      assertThat(db.stats().pageCount())
          .as("the file stops growing")
          .isLessThan(pages + 150); // without reuse 20 rewrites would add ~660
      assertThat(db.check()).isEmpty();
    }
  }

  @Test
  void shouldTimeOutWaitingForTheWriterLockAndNameTheHolder() throws Exception {
    Path file = dir.resolve("busy.db");
    DbOptions options =
        DbOptions.defaults()
            .durability(Durability.NO_SYNC)
            .writeLockTimeout(Duration.ofMillis(300));
    try (Db db = Db.open(file, options)) {
      db.update(tx -> tx.createBucketIfAbsent("b").put("k", "v"));
      try (ChildJvm holder = ChildJvm.start(PeerProcess.class, "hold-writer", file.toString())) {
        String line = holder.awaitLine("writing", Duration.ofSeconds(60));
        long pid = Long.parseLong(line.split(" ")[1]);
        long start = System.nanoTime();
        assertThatThrownBy(db::beginWrite)
            .isInstanceOf(TimedOutException.class)
            .hasMessageContaining("the writer lock stayed busy")
            .hasMessageContaining("file=" + file)
            .hasMessageContaining("holder=pid=" + pid);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .as("it waited for the timeout")
            .isGreaterThanOrEqualTo(Duration.ofMillis(250));
        holder.kill();
      }
      db.update(tx -> tx.bucket("b").put("after", "the holder died"));
      try (Tx writer = db.beginWrite()) {
        CompletableFuture<Throwable> other =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    db.beginWrite().close();
                    return null;
                  } catch (TimedOutException e) {
                    return e;
                  }
                });
        assertThat(other.get(30, TimeUnit.SECONDS))
            .isInstanceOf(TimedOutException.class)
            .hasMessageContaining("another thread of this process");
        writer.bucket("b").put("still", "mine");
        writer.commit();
      }
      long keys = db.read(tx -> tx.bucket("b").count());
      assertThat(keys).isEqualTo(3);
    }
  }

  /** Rewrites 2000 keys, freeing every page of the bucket. */
  private static void rewrite(Db db, int round) {
    db.update(
        tx -> {
          Bucket b = tx.createBucketIfAbsent("data");
          for (int i = 0; i < 2000; i++) {
            b.put(ByteBuffer.allocate(4).putInt(i).array(), new byte[40 + round % 3]);
          }
        });
  }
}
