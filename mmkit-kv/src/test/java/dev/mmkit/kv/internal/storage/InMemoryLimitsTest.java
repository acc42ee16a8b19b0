package dev.mmkit.kv.internal.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.kv.DbOptions;
import dev.mmkit.kv.Durability;
import dev.mmkit.kv.internal.check.Inspector;
import dev.mmkit.kv.internal.page.FreelistLayout;
import dev.mmkit.kv.internal.page.Meta;
import dev.mmkit.kv.internal.tree.BucketTree;
import dev.mmkit.kv.internal.txn.TxnState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * InMemoryLimitsTest puts a test on each side of the limits of the storage's own structures: the
 * initial size of the per-page caches, the longest run a freelist record holds, the pages one
 * freelist record spans and the point where deltas give way to a checkpoint. Each test first shows
 * it reached the side it claims, then that the data is intact and the file passes the checker.
 */
class InMemoryLimitsTest {
  @TempDir Path dir;

  private StoreFile open(String name) {
    return StoreFile.open(
        dir.resolve(name),
        DbOptions.defaults().durability(Durability.NO_SYNC),
        FileChannelPageFile::open);
  }

  /** The per-page caches start with room for page ids below 1024 and grow past it. */
  @Test
  void shouldRememberVerifiedPagesOnEachSideOfTheFirstGrowth() {
    VerifiedPages pages = new VerifiedPages();
    pages.markVerified(1023, 5);
    assertThat(pages.isVerified(1024, 5)).isFalse();
    pages.markVerified(1024, 6);
    assertThat(pages.isVerified(1023, 5)).isTrue();
    assertThat(pages.isVerified(1024, 6)).isTrue();
    assertThat(pages.isVerified(1024, 5)).as("another version of the page").isFalse();
  }

  /** A run of free pages holds at most 2^24 pages; one more page starts a second run. */
  @Test
  void shouldPackAtMostTwoToTheTwentyFourPagesIntoOneRun() {
    long max = 1L << 24;
    long[] exactly = consecutive(2, max);
    long[] oneMore = consecutive(2, max + 1);
    assertThat(FreeState.runs(exactly)).hasSize(1);
    long[] two = FreeState.runs(oneMore);
    assertThat(two).hasSize(2);
    assertThat(FreelistLayout.runStart(two[0])).isEqualTo(2);
    assertThat(FreelistLayout.runLength(two[0])).isEqualTo(max);
    assertThat(FreelistLayout.runStart(two[1])).isEqualTo(2 + max);
    assertThat(FreelistLayout.runLength(two[1])).isEqualTo(1);
  }

  /**
   * A freelist delta that fits one page and one that needs a second: commits that free more and
   * more scattered pages cross the boundary, and every commit reads back and checks sound.
   */
  @Test
  void shouldWriteFreelistRecordsOfOneAndOfSeveralPages() {
    int perPage = (4096 - FreelistLayout.DATA) / 8;
    List<Integer> recordPages = new ArrayList<>();
    try (StoreFile store = open("freelist.db")) {
      int round = 0;
      for (int freed = perPage - 12; freed <= perPage + 4; freed += 4, round++) {
        List<byte[]> keys = putOnePageValues(store, round, 2 * freed);
        Meta before = store.latest();
        deleteEveryOther(store, keys);
        Meta after = store.latest();
        if (after.deltaPages() > before.deltaPages()) {
          recordPages.add(after.deltaPages() - before.deltaPages());
        }
        assertThat(Inspector.run(store).problems()).as("after freeing %d pages", freed).isEmpty();
      }
    }
    assertThat(recordPages).as("delta records of one page").contains(1);
    assertThat(recordPages).as("delta records of two pages").contains(2);
  }

  /**
   * Deltas pile up to 16 pages; the commit whose delta would pass that writes a checkpoint instead
   * and the chain starts over.
   */
  @Test
  void shouldWriteACheckpointWhenDeltasWouldPassSixteenPages() {
    List<Integer> deltaPages = new ArrayList<>();
    try (StoreFile store = open("checkpoint.db")) {
      for (int i = 0; i < 40; i++) {
        TxnState tx = TxnState.write(store);
        BucketTree b = tx.root().createBucket("b".getBytes(UTF_8), true);
        b.put(key(i % 7), new byte[10 + i]);
        tx.commit();
        deltaPages.add(store.latest().deltaPages());
        assertThat(Inspector.run(store).problems()).isEmpty();
      }
    }
    int at = deltaPages.indexOf(16);
    assertThat(at).as("deltas reached 16 pages: %s", deltaPages).isNotNegative();
    assertThat(deltaPages.get(at + 1)).as("then a checkpoint: %s", deltaPages).isZero();
    assertThat(deltaPages).as("never past 16: %s", deltaPages).allMatch(n -> n <= 16);
  }

  private static List<byte[]> putOnePageValues(StoreFile store, int round, int count) {
    List<byte[]> keys = new ArrayList<>();
    TxnState tx = TxnState.write(store);
    BucketTree b = tx.root().createBucket("v".getBytes(UTF_8), true);
    for (int i = 0; i < count; i++) {
      byte[] k = String.format("r%03d-%05d", round, i).getBytes(UTF_8);
      b.put(k, new byte[3000]);
      keys.add(k);
    }
    tx.commit();
    return keys;
  }

  private static void deleteEveryOther(StoreFile store, List<byte[]> keys) {
    TxnState tx = TxnState.write(store);
    BucketTree b = tx.root().bucket("v".getBytes(UTF_8));
    for (int i = 0; i < keys.size(); i += 2) {
      assertThat(b.delete(keys.get(i))).isTrue();
    }
    tx.commit();
  }

  private static long[] consecutive(long first, long count) {
    long[] ids = new long[(int) count];
    for (int i = 0; i < ids.length; i++) {
      ids[i] = first + i;
    }
    return ids;
  }

  private static byte[] key(int i) {
    return String.format("key%05d", i).getBytes(UTF_8);
  }
}
