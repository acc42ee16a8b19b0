package dev.mmkit.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TutorialTest walks through the API in the order a new user meets it; read it as documentation.
 */
class TutorialTest {
  @TempDir Path dir;

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }

  private static String text(MemorySegment view) {
    return new String(view.toArray(ValueLayout.JAVA_BYTE), UTF_8);
  }

  @Test
  void shouldOpenWriteAndReadInTransactions() {
    // A database is one file (plus NAME-lock beside it); open creates it when missing.
    try (Db db = Db.open(dir.resolve("app.db"))) {
      // update() runs a write transaction and commits it; when it returns, the data is on disk.
      db.update(
          tx -> {
            Bucket users = tx.createBucketIfAbsent("users");
            users.put("alice", "admin");
            users.put("bob", "reader");
          });
      // view() runs a read transaction on a snapshot; get() returns a zero-copy view of the
      // mapped page, valid until the transaction ends.
      db.view(tx -> assertThat(text(tx.bucket("users").get(bytes("alice")))).isEqualTo("admin"));
      // read() returns a result; copy what must outlive the transaction.
      byte[] role = db.read(tx -> tx.bucket("users").getBytes(bytes("bob")));
      assertThat(new String(role, UTF_8)).isEqualTo("reader");
    }
  }

  @Test
  void shouldRollBackWhenTheFunctionThrows() {
    try (Db db = Db.open(dir.resolve("app.db"))) {
      db.update(tx -> tx.createBucketIfAbsent("users").put("alice", "admin"));
      // The exception propagates, and nothing of that transaction was written.
      assertThatThrownBy(
              () ->
                  db.update(
                      tx -> {
                        tx.bucket("users").put("alice", "nobody");
                        throw new IllegalStateException("changed my mind");
                      }))
          .isInstanceOf(IllegalStateException.class)
          .hasMessage("changed my mind");
      db.view(tx -> assertThat(text(tx.bucket("users").get(bytes("alice")))).isEqualTo("admin"));
    }
  }

  @Test
  void shouldScanRangesWithCursorsAndKeyRanges() {
    try (Db db = Db.open(dir.resolve("app.db"))) {
      db.update(
          tx -> {
            Bucket logs = tx.createBucketIfAbsent("logs");
            for (int day = 1; day <= 9; day++) {
              logs.put("2024-01-0" + day, "entry " + day);
            }
          });
      List<String> recent = new ArrayList<>();
      db.view(
          tx ->
              tx.bucket("logs")
                  .scan(
                      KeyRange.prefix(bytes("2024-01")).reversed(),
                      (key, value) -> {
                        recent.add(text(key));
                        return recent.size() < 3; // stop after three
                      }));
      assertThat(recent).containsExactly("2024-01-09", "2024-01-08", "2024-01-07");
      db.view(
          tx -> {
            Cursor c = tx.bucket("logs").cursor();
            assertThat(c.seek(bytes("2024-01-05"))).isTrue();
            assertThat(text(c.value())).isEqualTo("entry 5");
            assertThat(c.prev()).isTrue();
            assertThat(text(c.key())).isEqualTo("2024-01-04");
          });
    }
  }

  @Test
  void shouldNestBucketsAndCountWithSequences() {
    try (Db db = Db.open(dir.resolve("app.db"))) {
      long id =
          db.write(
              tx -> {
                Bucket orders =
                    tx.createBucketIfAbsent("shop").createBucketIfAbsent(bytes("orders"));
                long next = orders.nextSequence();
                orders.put(bytes("order-" + next), bytes("2 apples"));
                return next;
              });
      assertThat(id).isEqualTo(1);
      db.view(
          tx -> {
            Bucket shop = tx.bucket("shop");
            assertThat(shop.bucketNames()).containsExactly(bytes("orders"));
            assertThat(shop.bucket("orders").count()).isEqualTo(1);
          });
    }
  }

  @Test
  void shouldTradeDurabilityForSpeedOnlyWhenAsked() throws Exception {
    // The default, SYNC: when update() returns, the commit is on stable storage. Here a test layer
    // stands in for the disk and cuts the power right after it, dropping every write not flushed.
    Path safe = dir.resolve("safe.db");
    PowerLossDisk disk = new PowerLossDisk(safe, 1);
    try (Db db = Db.open(safe, DbOptions.defaults(), disk::open)) {
      db.update(tx -> tx.createBucketIfAbsent("orders").put("o-1", "paid"));
    }
    disk.powerCycleLosingEverythingUnflushed();
    try (Db db = Db.open(safe, DbOptions.defaults(), disk::open)) {
      byte[] status = db.read(tx -> tx.bucket("orders").getBytes(bytes("o-1")));
      assertThat(status).isEqualTo(bytes("paid"));
    }
    // NO_SYNC skips the flush: much faster commits, but after a power loss the file opens at an
    // earlier commit — here, with nothing flushed since it was created, an empty one — or, when
    // the pages it needs never reached the disk, refuses to open. A crash of the process alone
    // loses nothing: the writes are in the operating system's cache.
    Path fast = dir.resolve("cache.db");
    PowerLossDisk cacheDisk = new PowerLossDisk(fast, 2);
    DbOptions noSync = DbOptions.defaults().durability(Durability.NO_SYNC);
    try (Db db = Db.open(fast, noSync, cacheDisk::open)) {
      db.update(tx -> tx.createBucketIfAbsent("cache").put("k", "v"));
      byte[] cached = db.read(tx -> tx.bucket("cache").getBytes(bytes("k")));
      assertThat(cached).isEqualTo(bytes("v"));
    }
    cacheDisk.powerCycleLosingEverythingUnflushed();
    try (Db db = Db.open(fast, noSync, cacheDisk::open)) {
      boolean present = db.read(tx -> tx.bucket("cache") != null);
      assertThat(present).as("the commit was not flushed").isFalse();
    }
  }
}
