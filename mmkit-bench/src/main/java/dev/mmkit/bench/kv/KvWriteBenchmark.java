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
 * into an empty store, verifies the store and records its size on disk once it is closed. Durable
 * single-put commits are measured by {@link KvDurablePutBenchmark}.
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

  /** Computes the load order once. */
  @Setup(Level.Trial)
  public void prepare() {
    order = new KvDataset(entries).loadOrder();
  }

  /** Opens an empty store for the load. */
  @Setup(Level.Iteration)
  public void open() throws IOException {
    directory = Files.createTempDirectory(KvFiles.dataDirectory(), "kv-" + store + "-");
    kv = KvStores.open(store, directory);
  }

  /**
   * Verifies that the store holds the dataset, closes it, records its size on disk, and deletes it.
   */
  @TearDown(Level.Iteration)
  public void close() throws IOException {
    KvVerification.verify(kv, entries);
    kv.close();
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
}
