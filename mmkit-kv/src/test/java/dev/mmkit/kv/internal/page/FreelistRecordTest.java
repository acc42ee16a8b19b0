package dev.mmkit.kv.internal.page;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.kv.CorruptDbException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Freelist records written by {@link FreelistRecord#encode} read back as the bodies they were built
 * from, across several pages per record; and records whose longs say something impossible are
 * refused as corrupt, never read past their end or sized by a hostile count.
 */
class FreelistRecordTest {
  private static final int PAGE_SIZE = 512;

  /** Pages is an in-memory chain: page id to bytes, as a snapshot would hand them out. */
  private static final class ChainPages implements FreelistRecord.Pages {
    final Map<Long, byte[]> pages = new HashMap<>();

    void write(long[] ids, List<byte[]> bytes) {
      for (int i = 0; i < ids.length; i++) {
        pages.put(ids[i], bytes.get(i));
      }
    }

    @Override
    public byte[] freelistPage(long page, long txid) {
      byte[] b = pages.get(page);
      if (b == null || Bytes.getLong(b, PageLayout.TXID) != txid) {
        throw corrupt(page, "not the freelist page asked for");
      }
      return b.clone();
    }

    @Override
    public CorruptDbException corrupt(long page, String problem) {
      return new CorruptDbException(page, "page " + page + ": " + problem);
    }

    @Override
    public int pageSize() {
      return PAGE_SIZE;
    }
  }

  @Test
  void shouldReadBackACheckpointAndADeltaThatSpanSeveralPagesEach() {
    long[] freeRuns = new long[150]; // 150 runs need three 512-byte pages of 58 longs.
    for (int i = 0; i < freeRuns.length; i++) {
      freeRuns[i] = FreelistLayout.run(100 + 3L * i, 2);
    }
    TreeMap<Long, long[]> pending = new TreeMap<>();
    pending.put(3L, new long[] {FreelistLayout.run(40, 5)});
    pending.put(5L, new long[] {FreelistLayout.run(60, 1), FreelistLayout.run(70, 9)});
    var checkpoint =
        new FreelistBody.Checkpoint(
            5, 600, new long[] {FreelistLayout.run(2, 30)}, freeRuns, pending);
    long[] delta1Written = new long[70]; // 70 + 6 longs: two pages.
    for (int i = 0; i < delta1Written.length; i++) {
      delta1Written[i] = FreelistLayout.run(101 + 3L * i, 1);
    }
    var delta =
        new FreelistBody.Delta(
            6,
            620,
            3,
            delta1Written,
            new long[] {FreelistLayout.run(2, 4), FreelistLayout.run(9, 1)});

    ChainPages chain = new ChainPages();
    long[] checkpointPages = {50, 51, 52, 53}; // One more than it needs: the last stays empty.
    assertThat(FreelistRecord.pagesFor(checkpoint, PAGE_SIZE)).isEqualTo(3);
    chain.write(
        checkpointPages, FreelistRecord.encode(checkpoint, checkpointPages, 0, 0, PAGE_SIZE));
    long[] deltaPages = {30, 31};
    assertThat(FreelistRecord.pagesFor(delta, PAGE_SIZE)).isEqualTo(2);
    chain.write(deltaPages, FreelistRecord.encode(delta, deltaPages, 50, 5, PAGE_SIZE));
    Meta meta = new Meta(6, PAGE_SIZE, 620, BucketHeader.EMPTY, 30, 6, 2, 4, 0, 1);

    List<FreelistRecord> records = FreelistRecord.readChain(chain, meta);

    assertThat(records).hasSize(2);
    assertThat(records.get(0).pages()).containsExactly(30, 31);
    assertThat(records.get(1).pages()).containsExactly(50, 51, 52, 53);
    FreelistBody.Delta readDelta = (FreelistBody.Delta) records.get(0).body(chain);
    assertThat(readDelta.txid()).isEqualTo(6);
    assertThat(readDelta.pageCount()).isEqualTo(620);
    assertThat(readDelta.matured()).isEqualTo(3);
    assertThat(readDelta.writtenRuns()).containsExactly(delta1Written);
    assertThat(readDelta.freedRuns()).containsExactly(delta.freedRuns());
    FreelistBody.Checkpoint readCheckpoint = (FreelistBody.Checkpoint) records.get(1).body(chain);
    assertThat(readCheckpoint.txid()).isEqualTo(5);
    assertThat(readCheckpoint.pageCount()).isEqualTo(600);
    assertThat(readCheckpoint.writtenRuns()).containsExactly(FreelistLayout.run(2, 30));
    assertThat(readCheckpoint.freeRuns()).containsExactly(freeRuns);
    assertThat(readCheckpoint.pendingRuns().keySet()).containsExactly(3L, 5L);
    assertThat(readCheckpoint.pendingRuns().get(3L)).containsExactly(FreelistLayout.run(40, 5));
    assertThat(readCheckpoint.pendingRuns().get(5L))
        .containsExactly(FreelistLayout.run(60, 1), FreelistLayout.run(70, 9));
  }

  @Test
  void shouldRefuseADeltaWhoseCountsOrRunsDoNotFitIt() {
    long run = FreelistLayout.run(10, 2);
    // header, txid, page count, matured, written count, freed count, runs...
    assertCorrupt(FreelistLayout.DELTA, 7, new long[] {0, 7, 100, 3, 1, 1, run, run}, null);
    assertCorrupt(
        FreelistLayout.DELTA, 7, new long[] {0, 7, 100, 3, Long.MAX_VALUE, 0, run}, "out of range");
    assertCorrupt(FreelistLayout.DELTA, 7, new long[] {0, 7, 100, 3, 2, 0, run}, "ends early");
    assertCorrupt(FreelistLayout.DELTA, 7, new long[] {0, 7, 100, 8, 1, 0, run}, "out of range");
    assertCorrupt(FreelistLayout.DELTA, 7, new long[] {0, 7, 1, 3, 1, 0, run}, "out of range");
    assertCorrupt(
        FreelistLayout.DELTA,
        7,
        new long[] {0, 7, 100, 3, 1, 0, FreelistLayout.run(1, 2)},
        "run out of range");
    assertCorrupt(
        FreelistLayout.DELTA, 7, new long[] {0, 7, 100, 3, 1, 0, run, 0}, "trailing longs");
    assertCorrupt(FreelistLayout.DELTA, 7, new long[] {0, 7, 100, 3}, "ends early");
  }

  @Test
  void shouldRefuseACheckpointWhoseRunsOrPendingGroupsDoNotFitIt() {
    long run = FreelistLayout.run(10, 2);
    // header, txid, page count, w, w runs, n, n free runs, g, g x (txid, r, r runs)
    assertCorrupt(
        FreelistLayout.CHECKPOINT, 9, new long[] {0, 9, 100, 1, run, 1, run, 1, 4, 1, run}, null);
    assertCorrupt(
        FreelistLayout.CHECKPOINT,
        9,
        new long[] {0, 9, 100, 0, 1, FreelistLayout.run(99, 2), 0},
        "run out of range");
    assertCorrupt(
        FreelistLayout.CHECKPOINT,
        9,
        new long[] {0, 9, 100, 0, 0, 1, 10, 1, run},
        "out of range"); // A group freed after the record's own commit.
    assertCorrupt(
        FreelistLayout.CHECKPOINT,
        9,
        new long[] {0, 9, 100, 0, 0, 2, 5, 1, run, 4, 0},
        "out of range"); // Groups out of order.
    assertCorrupt(
        FreelistLayout.CHECKPOINT,
        9,
        new long[] {0, 9, 100, 0, 0, Integer.MAX_VALUE},
        "out of range"); // More groups than longs.
  }

  /**
   * Asserts the record of {@code kind} and {@code txid} with {@code longs} is refused with a
   * message containing {@code problem}, or read without error when {@code problem} is null.
   */
  private static void assertCorrupt(int kind, long txid, long[] longs, String problem) {
    FreelistRecord r = new FreelistRecord(kind, txid, longs, new long[] {77}, 0, 0);
    ChainPages chain = new ChainPages();
    if (problem == null) {
      assertThat(r.body(chain).txid()).isEqualTo(txid);
    } else {
      assertThatThrownBy(() -> r.body(chain))
          .isInstanceOf(CorruptDbException.class)
          .hasMessageContaining("page 77")
          .hasMessageContaining(problem);
    }
  }
}
