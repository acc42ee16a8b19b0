package dev.mmkit.bench.kv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * KvWriteBenchmark measures a bulk load of the whole dataset in one transaction, in random order,
 * into an empty store (and records the store's size on disk once it is closed), and durable commits
 * of one put each into a copy of the loaded store.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class KvWriteBenchmark {
  /** The store under test; the runner passes one store per JMH run. */
  @Param({"lmdbjava"})
  public String store;

  /** Number of pairs loaded. */
  @Param({"1000000"})
  public int entries;

  private Path directory;
  private KvStore kv;
  private int[] order;
  private long next;
  private final byte[] key = new byte[KvDataset.KEY_BYTES];
  private final byte[] value = new byte[KvDataset.VALUE_BYTES];

  /** Computes the load order once. */
  @Setup(Level.Trial)
  public void prepare() {
    order = new KvDataset(entries).loadOrder();
    next = entries;
  }

  /**
   * Opens an empty store for the load, or a fresh copy of the loaded store for durable puts, which
   * then put the pairs from {@code entries} on.
   */
  @Setup(Level.Iteration)
  public void open(org.openjdk.jmh.infra.BenchmarkParams params) throws IOException {
    directory = Files.createTempDirectory(KvFiles.dataDirectory(), "kv-" + store + "-");
    if (params.getBenchmark().endsWith("putDurable")) {
      Files.delete(directory);
      KvFiles.copy(KvFiles.prebuilt(store, entries), directory);
      next = entries;
    }
    kv = KvStores.open(store, directory);
  }

  /**
   * Verifies the store — after a load it must hold the dataset, after durable puts the dataset and
   * every pair put in this iteration — then closes it, records its size on disk after a load, and
   * deletes it.
   */
  @TearDown(Level.Iteration)
  public void close(org.openjdk.jmh.infra.BenchmarkParams params) throws IOException {
    boolean loaded = params.getBenchmark().endsWith("load");
    KvVerification.verify(kv, loaded ? entries : next);
    kv.close();
    if (loaded) {
      KvFiles.record(
          "kv-sizes.tsv",
          store
              + "\t"
              + entries
              + "\t"
              + KvFiles.apparentBytes(directory)
              + "\t"
              + KvFiles.allocatedBytes(directory));
      KvFiles.record(
          "kv-stores.tsv",
          store + "\t" + kv.name() + "\t" + kv.configuration() + "\t" + kv.durability());
    }
    KvFiles.delete(directory);
  }

  /** Loads the dataset in one transaction, in random order, and commits it durably. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 1)
  @Measurement(iterations = 2)
  public void load() throws IOException {
    kv.load(order);
  }

  /** Inserts one new pair and commits it durably. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 1, time = 1)
  @Measurement(iterations = 3, time = 2)
  public void putDurable() throws IOException {
    long i = next++;
    kv.putDurable(KvDataset.key(i, key), KvDataset.value(i, value));
  }
}
