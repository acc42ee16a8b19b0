package dev.mmkit.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.MmkitException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SizeLimitsTest puts a test on each side of every size limit a user can reach through the API: key
 * length, the largest entry kept inside a leaf, overflow runs across page and write-chunk
 * boundaries, bucket nesting, reader slots and the largest value. The expected sides are stated
 * here from the documented rules, not read from the engine's constants.
 */
class SizeLimitsTest {
  /** Bytes of a page header and of a leaf element, as the file format documents them. */
  private static final int PAGE_HEADER = 32;

  private static final int LEAF_ELEMENT = 12;

  @TempDir Path dir;

  private Db open(String name, int pageSize) {
    return Db.open(
        dir.resolve(name), DbOptions.defaults().pageSize(pageSize).durability(Durability.NO_SYNC));
  }

  @Test
  void shouldAcceptKeysOfOneAnd1024BytesAndRejectZeroAnd1025() {
    byte[] shortest = {7};
    byte[] longest = new byte[1024];
    Arrays.fill(longest, (byte) 'k');
    try (Db db = open("keys.db", 4096)) {
      db.update(
          tx -> {
            Bucket b = tx.createBucket("k".getBytes(UTF_8));
            b.put(shortest, "one".getBytes(UTF_8));
            b.put(longest, "1024".getBytes(UTF_8));
            assertThatThrownBy(() -> b.put(new byte[1025], new byte[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key size out of range: size=1025, max=1024");
            assertThatThrownBy(() -> b.put(new byte[0], new byte[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("size=0");
          });
      db.view(
          tx -> {
            assertThat(tx.bucket("k").getBytes(shortest)).isEqualTo("one".getBytes(UTF_8));
            assertThat(tx.bucket("k").getBytes(longest)).isEqualTo("1024".getBytes(UTF_8));
            assertThat(tx.bucket("k").count()).isEqualTo(2);
          });
      assertThat(db.check()).isEmpty();
    }
  }

  /**
   * An entry (element, key and value) of up to half a page's payload stays in its leaf; one byte
   * more moves the value to an overflow run of its own.
   */
  @ParameterizedTest
  @ValueSource(ints = {4096, 8192, 16384, 32768})
  void shouldKeepTheLargestInlineEntryInItsLeafAndMoveOneMoreByteToAnOverflowRun(int pageSize) {
    byte[] key = "key".getBytes(UTF_8);
    int largestInline = (pageSize - PAGE_HEADER) / 2 - LEAF_ELEMENT - key.length;
    byte[] inline = random(largestInline, 1);
    byte[] overflow = random(largestInline + 1, 2);
    try (Db db = open("inline-" + pageSize + ".db", pageSize)) {
      db.update(tx -> tx.createBucket("v".getBytes(UTF_8)).put(key, inline));
      assertThat(db.stats().overflowPages()).as("at the limit").isZero();
      db.view(tx -> assertThat(tx.bucket("v").getBytes(key)).isEqualTo(inline));
      db.update(tx -> tx.bucket("v").put(key, overflow));
      assertThat(db.stats().overflowPages()).as("one byte past it").isEqualTo(1);
      db.view(tx -> assertThat(tx.bucket("v").getBytes(key)).isEqualTo(overflow));
      assertThat(db.check()).isEmpty();
    }
  }

  /**
   * Overflow runs that exactly fill their pages and one byte more, and values around the 1 MiB
   * pieces a commit writes them in.
   */
  @Test
  void shouldStoreValuesOnEachSideOfPageAndWriteChunkBoundaries() {
    int pageSize = 4096;
    int mib = 1 << 20;
    int[] lengths = {
      3 * pageSize - PAGE_HEADER, 3 * pageSize - PAGE_HEADER + 1, mib - 1, mib, mib + 1, 2 * mib + 1
    };
    long expectedPages = 0;
    for (int length : lengths) {
      expectedPages += (PAGE_HEADER + length + pageSize - 1) / pageSize;
    }
    try (Db db = open("runs.db", pageSize)) {
      db.update(
          tx -> {
            Bucket b = tx.createBucket("v".getBytes(UTF_8));
            for (int length : lengths) {
              b.put(("len" + length).getBytes(UTF_8), random(length, length));
            }
          });
      db.view(
          tx -> {
            for (int length : lengths) {
              assertThat(tx.bucket("v").getBytes(("len" + length).getBytes(UTF_8)))
                  .as("value of %d bytes", length)
                  .isEqualTo(random(length, length));
            }
          });
      assertThat(db.stats().overflowPages()).isEqualTo(expectedPages);
      assertThat(db.check()).isEmpty();
    }
  }

  /**
   * Buckets nest 64 deep, and walking them — the checker, deleting the outermost bucket, compaction
   * — fits in a thread with a small stack; a 65th level is refused.
   */
  @Test
  void shouldNestBuckets64DeepAndRejectOneMore() throws Exception {
    int deepest = 64;
    try (Db db = open("nested.db", 4096)) {
      db.update(
          tx -> {
            Bucket b = tx.createBucket("level1".getBytes(UTF_8));
            for (int depth = 2; depth <= deepest; depth++) {
              b = b.createBucket(("level" + depth).getBytes(UTF_8));
            }
            for (int i = 0; i < 2000; i++) {
              b.put(("deep" + i).getBytes(UTF_8), new byte[100]);
            }
            Bucket last = b;
            assertThatThrownBy(() -> last.createBucket("level65".getBytes(UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("buckets nested too deep: depth=65, max=64");
          });
      db.view(
          tx -> {
            Bucket b = tx.bucket("level1");
            for (int depth = 2; depth <= deepest; depth++) {
              b = b.bucket("level" + depth);
            }
            assertThat(b.count()).isEqualTo(2000);
            assertThat(b.bucketNames()).isEmpty();
          });
      onSmallStack(() -> assertThat(db.check()).isEmpty());
      onSmallStack(() -> db.compactTo(dir.resolve("nested-copy.db")));
      onSmallStack(
          () -> db.update(tx -> assertThat(tx.deleteBucket("level1".getBytes(UTF_8))).isTrue()));
      assertThat(db.check()).isEmpty();
    }
    try (Db copy = open("nested-copy.db", 4096)) {
      assertThat(copy.check()).isEmpty();
      assertThat(copy.stats().keys()).isEqualTo(2000);
    }
  }

  /** Runs {@code body} in a thread with a 256 KiB stack and rethrows what it threw here. */
  private static void onSmallStack(Runnable body) throws Exception {
    java.util.concurrent.atomic.AtomicReference<Throwable> failure =
        new java.util.concurrent.atomic.AtomicReference<>();
    Thread t =
        new Thread(
            null,
            () -> {
              try {
                body.run();
              } catch (Throwable e) {
                failure.set(e);
              }
            },
            "small-stack",
            256 << 10);
    t.start();
    t.join();
    if (failure.get() != null) {
      throw new AssertionError("failed on a 256 KiB stack", failure.get());
    }
  }

  @Test
  void shouldServeAsManyReadersAsSlotsAndRejectOneMore() {
    int slots = 4;
    try (Db db =
        Db.open(
            dir.resolve("slots.db"),
            DbOptions.defaults().durability(Durability.NO_SYNC).readerSlots(slots))) {
      db.update(tx -> tx.createBucket("b".getBytes(UTF_8)).put("k", "v"));
      List<Tx> readers = new ArrayList<>();
      try {
        for (int i = 0; i < slots; i++) {
          readers.add(db.beginRead());
        }
        for (Tx r : readers) {
          assertThat(r.bucket("b").getBytes("k".getBytes(UTF_8))).isEqualTo("v".getBytes(UTF_8));
        }
        assertThatThrownBy(db::beginRead)
            .isInstanceOf(MmkitException.class)
            .hasMessageContaining("all reader slots are in use")
            .hasMessageContaining("slots=" + slots);
      } finally {
        readers.forEach(Tx::close);
      }
      try (Tx again = db.beginRead()) {
        assertThat(again.bucket("b").count()).isEqualTo(1);
      }
    }
  }

  @Test
  void shouldRejectAValueOneByteOverOneGibibyte() {
    try (Db db = open("huge.db", 4096)) {
      db.update(
          tx -> {
            Bucket b = tx.createBucket("v".getBytes(UTF_8));
            assertThatThrownBy(() -> b.put("k".getBytes(UTF_8), new byte[(1 << 30) + 1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("value too large: size=1073741825, max=1073741824");
          });
    }
  }

  @Test
  @Tag("soak")
  void shouldStoreAValueOfExactlyOneGibibyte() {
    byte[] value = random(1 << 30, 9);
    try (Db db = open("gib.db", 4096)) {
      db.update(tx -> tx.createBucket("v".getBytes(UTF_8)).put("k".getBytes(UTF_8), value));
      db.view(tx -> assertThat(tx.bucket("v").getBytes("k".getBytes(UTF_8))).isEqualTo(value));
      assertThat(db.check()).isEmpty();
    }
  }

  private static byte[] random(int length, long seed) {
    byte[] v = new byte[length];
    new SplittableRandom(seed).nextBytes(v);
    return v;
  }
}
