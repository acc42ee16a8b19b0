package dev.mmkit.kv.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A large freelist checkpoint (a fragmented free set) is rewritten only after the deltas that
 * follow it reach four times its pages, and never later: each commit's share of the checkpoints
 * stays a fraction of a page, and the chain an open reads stays within five times the checkpoint.
 */
class FreelistCheckpointTest {
  private static final int PAGE_SIZE = 4096;

  @Test
  void shouldWriteTheNextCheckpointOnceTheDeltasReachFourTimesTheLastOne() {
    FreeState state = new FreeState();
    state.pageCount = 60_000;
    for (int page = 2; page < state.pageCount; page += 2) {
      state.free.set(page); // 29,999 free runs of one page each.
    }
    long txid = 1;
    state.beginCommit(0);
    long written = state.allocate(1);
    state.finishCommit(txid, new long[0], PAGE_SIZE); // The first record is a checkpoint.
    assertThat(state.deltaPages).isZero();
    int firstCheckpoint = state.checkpointPages;
    assertThat(firstCheckpoint).as("pages of a checkpoint of 30k runs").isGreaterThan(16);

    List<Integer> peaks = new ArrayList<>();
    List<Integer> checkpointSizes = new ArrayList<>();
    int peak = 0;
    int checkpointPages = firstCheckpoint;
    for (int i = 0; i < 12 * firstCheckpoint; i++) {
      txid++;
      state.beginCommit(txid - 1);
      long next = state.allocate(1); // Each commit rewrites one page and frees the one before.
      state.finishCommit(txid, new long[] {written}, PAGE_SIZE);
      written = next;
      if (state.deltaPages == 0) {
        peaks.add(peak);
        checkpointSizes.add(checkpointPages);
        checkpointPages = state.checkpointPages;
        peak = 0;
      } else {
        peak = state.deltaPages;
        assertThat(peak)
            .as("delta pages after a checkpoint of %d pages, txid %d", checkpointPages, txid)
            .isLessThanOrEqualTo(4 * checkpointPages);
      }
    }
    assertThat(peaks).as("checkpoints written").hasSizeGreaterThanOrEqualTo(2);
    for (int k = 0; k < peaks.size(); k++) {
      assertThat(peaks.get(k))
          .as(
              "deltas before checkpoint %d (the one before had %d pages)",
              k, checkpointSizes.get(k))
          .isEqualTo(4 * checkpointSizes.get(k));
    }
  }
}
