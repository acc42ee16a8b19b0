package dev.mmkit.bench.kv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * KvReadBenchmark measures random gets and full sequential scans of a store loaded with the
 * dataset, with a warm page cache or with the store's files dropped from the cache before each
 * measured iteration ({@code cache=cold}, the larger-than-cache variant).
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class KvReadBenchmark {
  /** The store under test; the runner passes one store per JMH run. */
  @Param({"lmdbjava"})
  public String store;

  /** Number of pairs loaded. */
  @Param({"1000000"})
  public int entries;

  /** {@code warm}: page cache holds the store; {@code cold}: dropped before each iteration. */
  @Param({"warm"})
  public String cache;

  private Path directory;
  private KvStore kv;
  private final SplittableRandom random = new SplittableRandom(42);
  private final byte[] key = new byte[KvDataset.KEY_BYTES];

  /**
   * Opens the prebuilt store, building it on first use, and verifies it: a file left by an earlier
   * run is measured only if it is still sound.
   */
  @Setup(Level.Trial)
  public void open() throws IOException {
    directory = KvFiles.prebuilt(store, entries);
    kv = KvStores.open(store, directory);
    KvVerification.verify(kv, entries);
  }

  /** For the cold variant, reopens the store with its files dropped from the page cache. */
  @Setup(Level.Iteration)
  public void dropCache() throws IOException {
    if (cache.equals("cold")) {
      kv.close();
      KvFiles.dropFromPageCache(directory);
      KvFiles.record(
          "kv-cold.tsv", store + "\t" + entries + "\t" + KvFiles.residentFraction(directory));
      kv = KvStores.open(store, directory);
    }
  }

  /** Closes the store. */
  @TearDown(Level.Trial)
  public void close() throws IOException {
    kv.close();
  }

  /** Looks up one random key that exists and reads its value. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long get() {
    return kv.get(KvDataset.key(random.nextInt(entries), key));
  }

  /** Reads every pair in key order. */
  @Benchmark
  @BenchmarkMode(Mode.AverageTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public long scan() {
    long result = kv.scan();
    if (result == 0) {
      throw new IllegalStateException("empty scan: store=" + store);
    }
    return result;
  }
}
