package dev.mmkit.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

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
      try {
        db.update(
            tx -> {
              tx.bucket("users").put("alice", "nobody");
              throw new IllegalStateException("changed my mind");
            });
      } catch (IllegalStateException expected) {
        // Nothing of that transaction was written.
      }
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
  void shouldTradeDurabilityForSpeedOnlyWhenAsked() {
    // NO_SYNC skips the one flush per commit: after a power loss the file opens at an earlier
    // commit, or refuses to open. The default, SYNC, loses nothing it acknowledged.
    DbOptions fast = DbOptions.defaults().durability(Durability.NO_SYNC);
    try (Db db = Db.open(dir.resolve("cache.db"), fast)) {
      db.update(tx -> tx.createBucketIfAbsent("cache").put("k", "v"));
      assertThat(db.check()).isEmpty();
      assertThat(db.stats().keys()).isEqualTo(1);
    }
  }
}
