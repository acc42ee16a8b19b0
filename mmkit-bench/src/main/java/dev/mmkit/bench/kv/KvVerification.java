package dev.mmkit.bench.kv;

import java.io.IOException;
import java.util.List;
import java.util.SplittableRandom;

/**
 * KvVerification checks a store before any figure measured on it is reported: its own integrity
 * checker ({@link KvStore#integrityProblems()}), a full scan whose count and sum of value digests
 * must equal what the dataset says, and a sample of gets. Expected values come from {@link
 * KvDataset} alone. A store that fails makes the benchmark fail, so no figure comes from a damaged
 * store.
 */
public final class KvVerification {
  private static final int SAMPLED_GETS = 2000;

  private KvVerification() {}

  /**
   * Verifies that {@code store} holds exactly the dataset's pairs {@code 0 .. keys - 1}.
   *
   * @throws IllegalStateException naming the store and the first problem when it does not
   */
  public static void verify(KvStore store, long keys) throws IOException {
    List<String> problems = store.integrityProblems();
    if (!problems.isEmpty()) {
      throw failed(
          store, problems.size() + " problems from its checker, first: " + problems.get(0));
    }
    byte[] value = new byte[KvDataset.VALUE_BYTES];
    long expected = keys;
    for (long i = 0; i < keys; i++) {
      expected += digest(i, value);
    }
    long scanned = store.scan();
    if (scanned != expected) {
      throw failed(
          store, "scan differs from the dataset: scan=" + scanned + ", expected=" + expected);
    }
    byte[] key = new byte[KvDataset.KEY_BYTES];
    SplittableRandom random = new SplittableRandom(keys);
    for (int n = 0; n < SAMPLED_GETS; n++) {
      long i = random.nextLong(keys);
      long got = store.get(KvDataset.key(i, key));
      if (got != digest(i, value)) {
        throw failed(store, "get of pair " + i + " returned digest " + got);
      }
    }
  }

  private static long digest(long i, byte[] value) {
    return KvDataset.digest(KvDataset.value(i, value), 0, KvDataset.VALUE_BYTES);
  }

  private static IllegalStateException failed(KvStore store, String problem) {
    return new IllegalStateException(
        "store failed verification, no figure is reported from it: store="
            + store.name()
            + ", "
            + problem);
  }
}
