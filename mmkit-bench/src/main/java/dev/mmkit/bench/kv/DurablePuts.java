package dev.mmkit.bench.kv;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * DurablePuts is a small program for counting the system calls of durable single-put commits: it
 * loads a small dataset into a new store, then makes {@code puts} durable commits of one pair each
 * and prints their rate. {@code scripts/syscalls-per-commit.sh} runs it under {@code strace -c}
 * with two counts of puts and divides the difference, so the setup cancels out.
 *
 * <p>Arguments: store name, directory (created, must not exist), number of puts.
 */
public final class DurablePuts {
  private static final int LOADED = 10_000;

  private DurablePuts() {}

  /** Runs the puts; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    String store = args[0];
    Path directory = Files.createDirectories(Path.of(args[1]));
    int puts = Integer.parseInt(args[2]);
    byte[] key = new byte[KvDataset.KEY_BYTES];
    byte[] value = new byte[KvDataset.VALUE_BYTES];
    try (KvStore kv = KvStores.open(store, directory)) {
      kv.load(new KvDataset(LOADED).loadOrder());
      long start = System.nanoTime();
      for (long i = LOADED; i < LOADED + puts; i++) {
        kv.putDurable(KvDataset.key(i, key), KvDataset.value(i, value));
      }
      long nanos = System.nanoTime() - start;
      KvVerification.verify(kv, LOADED + puts);
      System.out.printf("%s: %d durable puts, %.0f commits/s%n", store, puts, puts * 1e9 / nanos);
    }
  }
}
