package dev.mmkit.bench.kv;

import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.DbOptions;
import dev.mmkit.kv.Durability;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
 * KvStrictBenchmark measures what mmkit-kv's strict mode ({@link DbOptions#strict}) costs: commits
 * of one put into a copy of the loaded 1,000,000-entry store (three levels, so a commit rewrites a
 * root branch whose other children it reads the first and last key of), and the bulk load of the
 * dataset in one transaction. Run with {@code strict=false} and {@code strict=true} in one run and
 * compare. It is not part of {@code scripts/bench.sh}; docs/BENCHMARKS.md gives the command.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "-Xmx2g"})
public class KvStrictBenchmark {
  private static final byte[] BUCKET = "kv".getBytes(StandardCharsets.UTF_8);

  /** Whether commits run in strict mode. */
  @Param({"false", "true"})
  public boolean strict;

  /** Durability of the one-put commits: {@code NO_SYNC} shows the CPU cost alone. */
  @Param({"NO_SYNC", "SYNC"})
  public Durability durability;

  /** Number of pairs loaded. */
  @Param({"1000000"})
  public int entries;

  private Path directory;
  private Db db;
  private int[] order;
  private long next;
  private final byte[] key = new byte[KvDataset.KEY_BYTES];
  private final byte[] value = new byte[KvDataset.VALUE_BYTES];

  /** Computes the load order once. */
  @Setup(Level.Trial)
  public void prepare() {
    order = new KvDataset(entries).loadOrder();
  }

  /** Opens a copy of the loaded store for the puts, or an empty store for the load. */
  @Setup(Level.Iteration)
  public void open(org.openjdk.jmh.infra.BenchmarkParams params) throws IOException {
    Files.createDirectories(KvFiles.dataDirectory());
    directory = Files.createTempDirectory(KvFiles.dataDirectory(), "kv-strict-");
    boolean puts = params.getBenchmark().endsWith("commitOnePut");
    if (puts) {
      Files.delete(directory);
      KvFiles.copy(KvFiles.prebuilt("mmkit-kv", entries), directory);
      next = entries;
    }
    db =
        Db.open(
            directory.resolve("mmkit.db"),
            DbOptions.defaults().strict(strict).durability(puts ? durability : Durability.SYNC));
    db.update(tx -> tx.createBucketIfAbsent(BUCKET));
  }

  /** Checks the store (no figure from a damaged one), then closes and deletes it. */
  @TearDown(Level.Iteration)
  public void close() throws IOException {
    if (!db.check().isEmpty()) {
      throw new IllegalStateException("store failed its check: problems=" + db.check());
    }
    db.close();
    KvFiles.delete(directory);
  }

  /** Commits one new pair. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  @Warmup(iterations = 2, time = 1)
  @Measurement(iterations = 5, time = 2)
  public void commitOnePut() {
    long i = next++;
    db.update(tx -> tx.bucket(BUCKET).put(KvDataset.key(i, key), KvDataset.value(i, value)));
  }

  /** Loads the dataset in one transaction, in random order. */
  @Benchmark
  @BenchmarkMode(Mode.SingleShotTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  @Warmup(iterations = 1)
  @Measurement(iterations = 3)
  public void load() {
    db.update(
        tx -> {
          Bucket bucket = tx.bucket(BUCKET);
          for (int i : order) {
            bucket.put(KvDataset.key(i, key), KvDataset.value(i, value));
          }
        });
  }
}
