package dev.mmkit.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.kv.LargeTransaction.KeyOrder;
import dev.mmkit.kv.LargeTransaction.Mix;
import dev.mmkit.kv.LargeTransaction.Shape;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * LargeTransactionTest writes single transactions large enough that every in-memory structure of
 * the write path grows past its first resizes and its limits: nodes split many times over before
 * anything is written, and trees several levels deep are built and spilled in one commit. Each run
 * checks every key inside the transaction, then the file after the commit and after a reopen. The
 * {@code soak} group repeats the sweep at millions of operations per transaction.
 */
class LargeTransactionTest {
  @TempDir Path dir;

  /**
   * A write transaction once broke its own tree: after the root split, keys below the first
   * separator went to the first leaf, and when that leaf split, its new sibling's separator sorted
   * before the first one. Later gets and the commit then missed keys.
   */
  @Test
  void shouldFindKeysBelowTheFirstSeparatorAfterTheFirstLeafSplits() {
    byte[] value = new byte[400];
    try (Db db = Db.open(dir.resolve("first.db"), DbOptions.defaults())) {
      db.update(
          tx -> {
            Bucket b = tx.createBucket("b".getBytes(UTF_8));
            for (int i = 0; i < 2000; i++) {
              b.put(String.format("m%06d", i).getBytes(UTF_8), value);
            }
            for (int i = 0; i < 2000; i++) {
              b.put(String.format("a%06d", i).getBytes(UTF_8), value);
            }
            for (int i = 0; i < 2000; i++) {
              assertThat(b.getBytes(String.format("a%06d", i).getBytes(UTF_8)))
                  .as("a%06d", i)
                  .isNotNull();
            }
          });
      assertThat(db.check()).isEmpty();
    }
  }

  @ParameterizedTest
  @EnumSource(KeyOrder.class)
  void shouldHold300000PutsInOneTransaction(KeyOrder order) {
    LargeTransaction.run(dir.resolve("puts.db"), Shape.puts(300_000, 7).withOrder(order));
  }

  @ParameterizedTest
  @ValueSource(ints = {4096, 8192, 16384, 32768})
  void shouldHoldLargeTransactionsOnEveryPageSize(int pageSize) {
    LargeTransaction.run(
        dir.resolve("pages.db"),
        Shape.puts(120_000, pageSize).withPageSize(pageSize).withKeys(1, 64).withValues(400, 1));
  }

  @ParameterizedTest
  @EnumSource(KeyOrder.class)
  void shouldHoldKeysOfEveryLengthAndValuesOfEverySize(KeyOrder order) {
    LargeTransaction.run(
        dir.resolve("sizes.db"),
        Shape.puts(40_000, 11).withOrder(order).withKeys(1, 1024).withValues(1500, 2));
  }

  @ParameterizedTest
  @EnumSource(
      value = Mix.class,
      names = {"MIXED", "OVERWRITES", "DELETES"})
  void shouldApplyLargeTransactionsToAPopulatedDatabase(Mix mix) {
    LargeTransaction.run(
        dir.resolve("populated.db"),
        Shape.puts(150_000, 13).withPopulation(150_000, mix).withValues(200, 1));
  }

  @Test
  void shouldWriteManyNestedBucketsRoundRobinInOneTransaction() {
    LargeTransaction.run(
        dir.resolve("buckets.db"),
        Shape.puts(200_000, 17).withBuckets(7).withKeys(4, 40).withPopulation(50_000, Mix.MIXED));
  }

  @ParameterizedTest
  @EnumSource(KeyOrder.class)
  @Tag("soak")
  void shouldHoldFiveMillionPutsInOneTransaction(KeyOrder order) {
    LargeTransaction.run(dir.resolve("soak.db"), Shape.puts(5_000_000, 19).withOrder(order));
  }

  @ParameterizedTest
  @EnumSource(
      value = Mix.class,
      names = {"MIXED", "OVERWRITES", "DELETES"})
  @Tag("soak")
  void shouldApplyMillionsOfOperationsToAPopulatedDatabase(Mix mix) {
    LargeTransaction.run(
        dir.resolve("soak-populated.db"),
        Shape.puts(2_000_000, 23).withPopulation(2_000_000, mix).withValues(200, 1));
  }

  @ParameterizedTest
  @ValueSource(ints = {4096, 8192, 16384, 32768})
  @Tag("soak")
  void shouldHoldMillionsOfMixedSizesOnEveryPageSize(int pageSize) {
    LargeTransaction.run(
        dir.resolve("soak-pages.db"),
        Shape.puts(1_000_000, pageSize)
            .withPageSize(pageSize)
            .withKeys(1, 1024)
            .withValues(1000, 1)
            .withBuckets(4)
            .withPopulation(500_000, Mix.MIXED));
  }
}
