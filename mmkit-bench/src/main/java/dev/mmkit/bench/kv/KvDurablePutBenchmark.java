package dev.mmkit.bench.kv;

import java.io.IOException;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * KvDurablePutBenchmark measures durable single-put commits from 1 and from 8 threads at once into
 * a copy of the loaded store, each call returning once its own pair is on disk: mmkit-kv shares
 * commits with {@code Db.batch}, RocksDB groups its WAL syncs, LMDB serializes writers. The ratio
 * of the two rates shows how a store's durable writes scale with concurrent callers. Only the
 * stores of {@link KvStores#CONCURRENT_WRITERS} run it.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
public class KvDurablePutBenchmark {
  /** The store under test; the runner passes one store per JMH run. */
  @Param({"mmkit-kv"})
  public String store;

  /** Number of pairs loaded before the puts. */
  @Param({"1000000"})
  public int entries;

  private java.nio.file.Path directory;
  private KvStore kv;
  private final AtomicLong next = new AtomicLong();

  /** Buffers of one thread. */
  @State(Scope.Thread)
  public static class Buffers {
    final byte[] key = new byte[KvDataset.KEY_BYTES];
    final byte[] value = new byte[KvDataset.VALUE_BYTES];
  }

  /** Opens a fresh copy of the loaded store; the puts add the pairs from {@code entries} on. */
  @Setup(Level.Iteration)
  public void open() throws IOException {
    directory = Files.createTempDirectory(KvFiles.dataDirectory(), "kv-durable-" + store + "-");
    Files.delete(directory);
    KvFiles.copy(KvFiles.prebuilt(store, entries), directory);
    kv = KvStores.open(store, directory);
    next.set(entries);
  }

  /** Verifies that every pair put is there (no figure otherwise), then deletes the copy. */
  @TearDown(Level.Iteration)
  public void close() throws IOException {
    KvVerification.verify(kv, next.get());
    kv.close();
    KvFiles.delete(directory);
  }

  /** One thread committing one pair at a time with the store's own durable put. */
  @Benchmark
  @Threads(1)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void oneWriter(Buffers b) throws IOException {
    long i = next.getAndIncrement();
    kv.putDurable(KvDataset.key(i, b.key), KvDataset.value(i, b.value));
  }

  /** Eight threads each committing one pair at a time, through the store's concurrent path. */
  @Benchmark
  @Threads(8)
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void eightWriters(Buffers b) throws IOException {
    long i = next.getAndIncrement();
    kv.putDurableShared(KvDataset.key(i, b.key), KvDataset.value(i, b.value));
  }
}
