package dev.mmkit.bench.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Checks that every store adapter answers the same operations with the same results. */
class KvStoreContractTest {
  private static final int ENTRIES = 2000;
  static final java.util.List<String> STORES = KvStores.NAMES;

  @TempDir Path directory;

  @ParameterizedTest
  @FieldSource("STORES")
  void shouldReturnWhatWasLoaded(String name) throws IOException {
    KvDataset data = new KvDataset(ENTRIES);
    byte[] key = new byte[KvDataset.KEY_BYTES];
    byte[] value = new byte[KvDataset.VALUE_BYTES];
    try (KvStore store = KvStores.open(name, directory)) {
      store.load(data.loadOrder());
      for (int i : new int[] {0, 1, ENTRIES / 2, ENTRIES - 1}) {
        KvDataset.value(i, value);
        assertThat(store.get(KvDataset.key(i, key)))
            .isEqualTo(KvDataset.digest(value, 0, value.length));
      }
      assertThat(store.get(KvDataset.key(ENTRIES + 5, key))).isEqualTo(-1);
      assertThat(store.scan()).isEqualTo(expectedScan(ENTRIES));
    }
  }

  @ParameterizedTest
  @FieldSource("STORES")
  void shouldKeepDurablePutsAcrossReopen(String name) throws IOException {
    byte[] key = KvDataset.key(42, new byte[KvDataset.KEY_BYTES]);
    byte[] value = KvDataset.value(42, new byte[KvDataset.VALUE_BYTES]);
    try (KvStore store = KvStores.open(name, directory)) {
      store.load(new KvDataset(10).loadOrder());
      store.putDurable(key, value);
    }
    try (KvStore store = KvStores.open(name, directory)) {
      assertThat(store.get(key)).isEqualTo(KvDataset.digest(value, 0, value.length));
      assertThat(store.scan()).isEqualTo(expectedScan(10) + 1 + store.get(key));
    }
    assertThat(KvFiles.apparentBytes(directory)).isPositive();
  }

  @ParameterizedTest
  @FieldSource("STORES")
  void shouldReadTheSameAfterDroppingThePageCache(String name) throws IOException {
    try (KvStore store = KvStores.open(name, directory)) {
      store.load(new KvDataset(500).loadOrder());
      store.flush();
    }
    KvFiles.dropFromPageCache(directory);
    assertThat(KvFiles.residentFraction(directory)).isLessThan(0.5);
    try (KvStore store = KvStores.open(name, directory)) {
      assertThat(store.scan()).isEqualTo(expectedScan(500));
    }
  }

  @ParameterizedTest
  @FieldSource("STORES")
  void shouldPassVerificationOnlyWhenItHoldsExactlyTheDataset(String name) throws IOException {
    try (KvStore store = KvStores.open(name, directory)) {
      store.load(new KvDataset(ENTRIES).loadOrder());
      KvVerification.verify(store, ENTRIES);
      assertThatThrownBy(() -> KvVerification.verify(store, ENTRIES + 1))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("scan differs from the dataset");
      byte[] other = KvDataset.value(ENTRIES + 1, new byte[KvDataset.VALUE_BYTES]);
      store.putDurable(KvDataset.key(5, new byte[KvDataset.KEY_BYTES]), other);
      assertThatThrownBy(() -> KvVerification.verify(store, ENTRIES))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("no figure is reported");
    }
  }

  @org.junit.jupiter.api.Test
  void shouldFailVerificationOfADamagedMmkitFile() throws IOException {
    try (KvStore store = KvStores.open("mmkit-kv", directory)) {
      store.load(new KvDataset(ENTRIES).loadOrder());
    }
    Path file = directory.resolve("mmkit.db");
    byte[] bytes = java.nio.file.Files.readAllBytes(file);
    for (int page = 4096 * 2; page < bytes.length; page += 4096) {
      boolean leaf = bytes[page + 4] == 3;
      boolean manyEntries = (bytes[page + 6] & 0xFF | (bytes[page + 7] & 0xFF) << 8) > 1;
      if (leaf && manyEntries) { // a leaf of the data bucket: flip one bit of its data
        bytes[page + 2000] ^= 0x40;
      }
    }
    java.nio.file.Files.write(file, bytes);
    try (KvStore store = KvStores.open("mmkit-kv", directory)) {
      assertThatThrownBy(() -> KvVerification.verify(store, ENTRIES))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("problems from its checker")
          .hasMessageContaining("checksum mismatch");
    }
  }

  static final java.util.List<String> CONCURRENT = KvStores.CONCURRENT_WRITERS;

  @ParameterizedTest
  @FieldSource("CONCURRENT")
  void shouldKeepEveryPairPutByEightThreadsAtOnce(String name) throws Exception {
    try (KvStore store = KvStores.open(name, directory)) {
      store.load(new KvDataset(ENTRIES).loadOrder());
      java.util.concurrent.atomic.AtomicLong next =
          new java.util.concurrent.atomic.AtomicLong(ENTRIES);
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(8)) {
        java.util.List<java.util.concurrent.Future<?>> writers = new java.util.ArrayList<>();
        for (int t = 0; t < 8; t++) {
          writers.add(
              pool.submit(
                  () -> {
                    byte[] key = new byte[KvDataset.KEY_BYTES];
                    byte[] value = new byte[KvDataset.VALUE_BYTES];
                    for (long i = next.getAndIncrement();
                        i < ENTRIES + 400;
                        i = next.getAndIncrement()) {
                      store.putDurableShared(KvDataset.key(i, key), KvDataset.value(i, value));
                    }
                    return null;
                  }));
        }
        for (java.util.concurrent.Future<?> w : writers) {
          w.get(60, java.util.concurrent.TimeUnit.SECONDS);
        }
      }
      KvVerification.verify(store, ENTRIES + 400);
    }
  }

  @org.junit.jupiter.api.Test
  void shouldRejectUnknownStore() {
    assertThatThrownBy(() -> KvStores.open("nosuchdb", directory))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("store=nosuchdb");
  }

  @org.junit.jupiter.api.Test
  void shouldLoadInAPermutationOfAllIndexes() {
    int[] order = new KvDataset(1000).loadOrder();
    assertThat(order)
        .hasSize(1000)
        .doesNotHaveDuplicates()
        .isNotEqualTo(java.util.stream.IntStream.range(0, 1000).toArray());
    assertThatThrownBy(() -> new KvDataset(0)).isInstanceOf(IllegalArgumentException.class);
  }

  private static long expectedScan(int entries) {
    byte[] value = new byte[KvDataset.VALUE_BYTES];
    long sum = 0;
    for (int i = 0; i < entries; i++) {
      KvDataset.value(i, value);
      sum += 1 + KvDataset.digest(value, 0, value.length);
    }
    return sum;
  }
}
