package dev.mmkit.kv.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * NextTxidTest checks the txid a commit gets on top of a base commit: the next one while no commit
 * above the base was attempted, else one above every attempt, always of the other parity than the
 * base (its meta page goes to the slot the base's meta does not use).
 */
class NextTxidTest {
  @Test
  void shouldTakeTheNextTxidWhenNothingAboveTheBaseWasAttempted() {
    assertThat(StoreWriter.nextTxid(41, 41)).isEqualTo(42);
    assertThat(StoreWriter.nextTxid(41, 7)).isEqualTo(42);
    assertThat(StoreWriter.nextTxid(1, 0)).isEqualTo(2);
  }

  @Test
  void shouldSkipEveryTxidAnUnfinishedCommitMayHaveWrittenPagesWith() {
    assertThat(StoreWriter.nextTxid(41, 42)).isEqualTo(44);
    assertThat(StoreWriter.nextTxid(41, 43)).isEqualTo(44);
    assertThat(StoreWriter.nextTxid(41, 44)).isEqualTo(46);
    assertThat(StoreWriter.nextTxid(40, 41)).isEqualTo(43);
  }

  @Test
  void shouldAssumeTheNextTxidWasAttemptedWhenThatIsUnknown() {
    assertThat(StoreWriter.nextTxid(41, -1)).isEqualTo(44);
    assertThat(StoreWriter.nextTxid(1, -1)).isEqualTo(4);
  }

  @Test
  void shouldAlwaysLandInTheOtherMetaSlotAboveEveryAttempt() {
    for (long base = 1; base < 40; base++) {
      for (long attempted = -1; attempted < 60; attempted++) {
        long next = StoreWriter.nextTxid(base, attempted);
        assertThat(next).isGreaterThan(base).isGreaterThan(attempted);
        assertThat((next - base) % 2).as("base=%d, attempted=%d", base, attempted).isEqualTo(1);
        if (attempted >= 0 && attempted <= base) {
          assertThat(next).isEqualTo(base + 1);
        } else {
          assertThat(next).isLessThanOrEqualTo(Math.max(attempted, base + 1) + 2);
        }
      }
    }
  }
}
