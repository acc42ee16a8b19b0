package dev.mmkit.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.ClosedException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DbTest {
  @TempDir Path dir;

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static String s(MemorySegment m) {
    return m == null ? null : new String(m.toArray(ValueLayout.JAVA_BYTE), UTF_8);
  }

  private Db open() {
    return Db.open(dir.resolve("t.db"), DbOptions.defaults().checkAfterCommit(true));
  }

  @Test
  void shouldPutAndGetAcrossReopen() {
    try (Db db = open()) {
      db.update(tx -> tx.createBucketIfAbsent("users").put("alice", "admin"));
      db.view(tx -> assertThat(s(tx.bucket("users").get(b("alice")))).isEqualTo("admin"));
    }
    try (Db db = open()) {
      db.view(tx -> assertThat(s(tx.bucket("users").get(b("alice")))).isEqualTo("admin"));
      db.view(tx -> assertThat(tx.bucket("users").get(b("bob"))).isNull());
    }
  }

  @Test
  void shouldHoldManyKeysInOrder() {
    try (Db db =
        Db.open(dir.resolve("m.db"), DbOptions.defaults().durability(Durability.NO_SYNC))) {
      Random r = new Random(1);
      List<Integer> keys = new ArrayList<>();
      for (int i = 0; i < 20000; i++) {
        keys.add(i);
      }
      java.util.Collections.shuffle(keys, r);
      for (int batch = 0; batch < 4; batch++) {
        int from = batch * 5000;
        db.update(
            tx -> {
              Bucket bk = tx.createBucketIfAbsent("b");
              for (int i = from; i < from + 5000; i++) {
                bk.put(b(String.format("k%06d", keys.get(i))), b("v" + keys.get(i)));
              }
            });
        assertThat(db.check()).isEmpty();
      }
      db.view(
          tx -> {
            Bucket bk = tx.bucket("b");
            assertThat(bk.count()).isEqualTo(20000);
            Cursor c = bk.cursor();
            int n = 0;
            for (boolean ok = c.first(); ok; ok = c.next()) {
              assertThat(new String(c.keyBytes(), UTF_8)).isEqualTo(String.format("k%06d", n));
              n++;
            }
            assertThat(n).isEqualTo(20000);
          });
      db.update(
          tx -> {
            Bucket bk = tx.bucket("b");
            for (int i = 0; i < 20000; i += 2) {
              assertThat(bk.delete(b(String.format("k%06d", i)))).isTrue();
            }
          });
      assertThat(db.check()).isEmpty();
      db.view(tx -> assertThat(tx.bucket("b").count()).isEqualTo(10000));
      DbStats st = db.stats();
      assertThat(st.keys()).isEqualTo(10000);
    }
  }

  @Test
  void shouldStoreLargeValues() {
    byte[] big = new byte[3 << 20];
    new Random(2).nextBytes(big);
    try (Db db = open()) {
      db.update(tx -> tx.createBucketIfAbsent("x").put(b("big"), big));
      db.view(tx -> assertThat(tx.bucket("x").getBytes(b("big"))).isEqualTo(big));
      db.update(tx -> tx.bucket("x").put(b("big"), b("small")));
      db.view(tx -> assertThat(s(tx.bucket("x").get(b("big")))).isEqualTo("small"));
    }
  }

  @Test
  void shouldInvalidateViewsWhenTransactionEnds() {
    try (Db db = open()) {
      db.update(tx -> tx.createBucketIfAbsent("x").put("k", "v"));
      MemorySegment[] kept = new MemorySegment[1];
      db.view(tx -> kept[0] = tx.bucket("x").get(b("k")));
      assertThatThrownBy(() -> kept[0].get(ValueLayout.JAVA_BYTE, 0))
          .isInstanceOf(IllegalStateException.class);
      Tx tx = db.beginRead();
      Bucket bucket = tx.bucket("x");
      tx.close();
      assertThatThrownBy(() -> bucket.get(b("k"))).isInstanceOf(ClosedException.class);
    }
  }

  @Test
  void shouldRejectWritesInReadTransaction() {
    try (Db db = open()) {
      db.update(tx -> tx.createBucketIfAbsent("x"));
      db.view(
          tx ->
              assertThatThrownBy(() -> tx.bucket("x").put("k", "v"))
                  .isInstanceOf(IllegalStateException.class)
                  .hasMessageContaining("read-only"));
    }
  }
}
