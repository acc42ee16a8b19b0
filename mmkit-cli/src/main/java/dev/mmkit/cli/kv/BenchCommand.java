package dev.mmkit.cli.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Progress;
import dev.mmkit.cli.Sizes;
import dev.mmkit.cli.Usage;
import dev.mmkit.cli.cluster.ClusterArgs;
import dev.mmkit.cli.cluster.LocalClusterDir;
import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Cursor;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.DbOptions;
import dev.mmkit.kv.DbStats;
import dev.mmkit.kv.Tx;
import dev.mmkit.raft.ClusterAdmin;
import dev.mmkit.raft.KvClient;
import dev.mmkit.raft.MemberConfig;
import dev.mmkit.raft.Peer;
import dev.mmkit.raft.ReadMode;
import java.io.PrintWriter;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * BenchCommand is {@code mmkit kv bench DB}: writes a new database in durable batches, checks it,
 * then measures random gets and a sequential scan, and reports the rates. A database that fails its
 * check gets no figures: the command exits 3.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure write (durable commits of --batch puts), random read, sequential scan and"
          + " durable single-put (--durable-puts, from --threads threads) rates on a new database"
          + " at DB (kept afterwards for stats and check). The database is checked after the"
          + " writes; when it fails, no figure is reported and the exit code is 3."
    })
final class BenchCommand implements Callable<Integer> {
  private static final int READS_PER_TX = 10_000;
  private static final int SCAN_PASSES = 3;

  @Parameters(index = "0", paramLabel = "DB", description = "New database file.")
  Path db;

  @Option(names = "--count", paramLabel = "N", description = "Entries (default 100000).")
  int count = 100_000;

  @Option(names = "--batch", paramLabel = "B", description = "Puts per commit (1000).")
  int batchSize = 1000;

  @Option(names = "--key-size", paramLabel = "K", description = "Key bytes (default 16).")
  int keySize = 16;

  @Option(names = "--value-size", paramLabel = "V", description = "Value bytes (default 100).")
  int valueSize = 100;

  @Option(
      names = "--durable-puts",
      paramLabel = "N",
      description = "Durable commits of one put each, measured after the reads (default 1000).")
  int durablePuts = 1000;

  @Option(
      names = "--threads",
      paramLabel = "T",
      description =
          "Threads making the durable single puts, sharing commits (Db.batch) when more than 1"
              + " (default 1).")
  int threads = 1;

  @Option(names = "--random", description = "Write keys in random order (default ascending).")
  boolean random;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Option(
      names = "--cluster",
      paramLabel = "ADDRS",
      description =
          "Measure the replicated store at ID=HOST:PORT,... instead: writes from 1 client and"
              + " with --in-flight writes in flight, linearizable and follower reads, beside"
              + " --durable-puts durable single puts on the new database at DB. Keys are written to"
              + " the bucket 'bench'; a sample is read back before any figure is reported.")
  String cluster;

  @Option(
      names = "--cluster-writes",
      paramLabel = "N",
      description =
          "With --cluster: writes with many in flight (default 20000; a tenth of it,"
              + " and reads, from one client).")
  int clusterWrites = 20_000;

  @Option(
      names = "--in-flight",
      paramLabel = "N",
      description = "With --cluster: writes in flight, one blocking thread each (default 64).")
  int inFlight = 64;

  @Option(
      names = "--warmup",
      paramLabel = "N",
      description =
          "With --cluster: first make N writes with --in-flight in flight, and up to"
              + " --durable-puts durable puts on DB, measured by nothing (default 0: measure from the"
              + " first write, with the JIT compilers of a new cluster's JVMs still at work).")
  int warmup;

  @Option(
      names = "--failover",
      paramLabel = "DIR",
      description =
          "With --cluster: the directory of 'mmkit cluster up'; at the end, SIGKILL the leader"
              + " and measure the time to the first acknowledged write. The member stays down.")
  Path failoverDir;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    validate();
    KvCommand.requireNew(spec, db);
    if (cluster != null) {
      return clusterBench();
    }
    ObjectNode report = new ObjectMapper().createObjectNode();
    report.put("file", db.toString()).put("count", count).put("batchSize", batchSize);
    report.put("keySize", keySize).put("valueSize", valueSize).put("random", random);
    try (Db database = Db.open(db, DbOptions.defaults())) {
      long writeNanos = write(database);
      List<?> problems = database.check();
      if (!problems.isEmpty()) {
        return refuse(problems, "after the writes");
      }
      report.put("checked", true);
      report.put("writeNanos", writeNanos);
      report.put("writesPerSecond", count * 1e9 / writeNanos);
      report.put("commitsPerSecond", commits() * 1e9 / writeNanos);
      long readNanos = read(database);
      report.put("readNanos", readNanos);
      report.put("readsPerSecond", count * 1e9 / readNanos);
      long scanNanos = scan(database);
      if (durablePuts > 0) {
        long putNanos = durablePuts(database, count, durablePuts);
        report.put("durablePuts", durablePuts).put("threads", threads);
        report.put("durablePutNanos", putNanos);
        report.put("durablePutsPerSecond", durablePuts * 1e9 / putNanos);
        problems = database.check();
        if (!problems.isEmpty()) {
          return refuse(problems, "after the durable puts");
        }
      }
      report.put("scanNanos", scanNanos);
      report.put("scanEntriesPerSecond", count * 1e9 / scanNanos);
      report.put("scanBytesPerSecond", (double) count * (keySize + valueSize) * 1e9 / scanNanos);
      DbStats stats = database.stats();
      report
          .put("fileSize", stats.fileSize())
          .put("fill", stats.fill())
          .put("depth", stats.depth());
    }
    print(report);
    return ExitCode.OK;
  }

  /**
   * Measures the cluster, then the single-node durable single puts on {@link #db} in the same run,
   * and reports both once a sample of the acknowledged writes was read back.
   */
  private int clusterBench() throws Exception {
    if (clusterWrites < 10 || inFlight < 1 || warmup < 0) {
      throw Usage.wrong(spec, "need --cluster-writes >= 10, --in-flight >= 1 and --warmup >= 0");
    }
    List<Peer> peers = ClusterArgs.peers(spec, cluster);
    ObjectNode report = new ObjectMapper().createObjectNode();
    report.put("members", peers.size()).put("valueSize", valueSize);
    try (KvClient client = KvClient.builder(peers).timeout(Duration.ofSeconds(30)).build();
        ClusterAdmin admin =
            ClusterAdmin.connect(peers, MemberConfig.DEFAULT_CLUSTER, Duration.ofSeconds(5))) {
      ClusterBench bench = new ClusterBench(client, admin, valueSize);
      bench.prepare();
      if (warmup > 0) {
        bench.writes("warmup", warmup, inFlight, report);
      }
      bench.writes("syncWrites", clusterWrites / 10, 1, report);
      bench.writes("inFlightWrites", clusterWrites, inFlight, report);
      int reads = Math.max(1000, clusterWrites / 10);
      bench.reads("linearizableReads", reads, ReadMode.linearizable(), report);
      bench.reads("followerReads", reads, ReadMode.follower(bench.follower(), 0), report);
      if (failoverDir != null) {
        String leader = bench.leader();
        ProcessHandle process =
            new LocalClusterDir(failoverDir)
                .process(leader)
                .orElseThrow(
                    () ->
                        Usage.wrong(
                            spec, "--failover: the leader does not run from DIR: id=" + leader));
        long nanos = bench.failover(start -> process.destroyForcibly());
        report.putObject("failover").put("killed", leader).put("millis", nanos / 1e6);
      }
      long bad = bench.verify(1000);
      report.put("acknowledged", bench.written()).put("missing", bad);
      if (bad > 0) {
        return refuse(List.of(bad + " acknowledged writes missing or wrong"), "read back");
      }
    }
    try (Db database = Db.open(db, DbOptions.defaults())) {
      database.update(tx -> tx.createBucketIfAbsent("bench"));
      if (warmup > 0) {
        durablePuts(database, (long) count + durablePuts, Math.min(warmup, durablePuts));
      }
      long putNanos = durablePuts(database, count, durablePuts);
      report.put("durablePuts", durablePuts).put("threads", threads);
      report.put("durablePutsPerSecond", durablePuts * 1e9 / putNanos);
    }
    printCluster(report);
    return ExitCode.OK;
  }

  private void printCluster(ObjectNode r) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(r));
      out.flush();
      return;
    }
    out.printf(
        Locale.ROOT,
        "mmkit kv bench --cluster: %d members, %d-byte values%n",
        r.get("members").asInt(),
        valueSize);
    out.printf(
        Locale.ROOT,
        "  single node durable puts  %,10.0f /s   one put per durable commit, %d thread%s%n",
        r.get("durablePutsPerSecond").asDouble(),
        threads,
        threads == 1 ? "" : "s");
    if (r.has("warmup")) {
      out.printf(
          Locale.ROOT,
          "  warm-up: %,d writes, %d in flight, and %,d durable puts first, not measured%n",
          warmup,
          inFlight,
          Math.min(warmup, durablePuts));
    }
    for (String[] row :
        new String[][] {
          {"syncWrites", "writes, 1 client"},
          {"inFlightWrites", "writes, " + inFlight + " in flight"},
          {"linearizableReads", "linearizable reads"},
          {"followerReads", "follower reads"}
        }) {
      var m = r.get(row[0]);
      out.printf(
          Locale.ROOT,
          "  %-25s %,10.0f /s   p50 %8.0f us   p99 %8.0f us%n",
          row[1],
          m.get("perSecond").asDouble(),
          m.get("p50Micros").asDouble(),
          m.get("p99Micros").asDouble());
    }
    if (r.has("failover")) {
      out.printf(
          Locale.ROOT,
          "  failover                  %,10.0f ms   leader %s SIGKILLed to the first acknowledged"
              + " write%n",
          r.get("failover").get("millis").asDouble(),
          r.get("failover").get("killed").asText());
    }
    out.printf(
        Locale.ROOT,
        "  verified: a sample of the %,d acknowledged writes read back linearizably, none"
            + " missing%n",
        r.get("acknowledged").asLong());
    out.flush();
  }

  private int refuse(List<?> problems, String when) {
    PrintWriter err = spec.commandLine().getErr();
    err.printf(
        "mmkit kv bench: %s failed its check %s, no figure is reported: %d problems, first: %s%n",
        db, when, problems.size(), problems.getFirst());
    err.flush();
    return ExitCode.BAD_DATA;
  }

  /**
   * Makes {@code puts} durable commits of one new key each, keys {@code first} on, from {@link
   * #threads} threads (through {@code Db.batch} when more than one) and returns the time they took.
   */
  long durablePuts(Db database, long first, long puts) throws Exception {
    byte[] value = new byte[valueSize];
    java.util.concurrent.atomic.AtomicLong next = new java.util.concurrent.atomic.AtomicLong(first);
    long last = first + puts;
    Runnable writer =
        () -> {
          for (long i = next.getAndIncrement(); i < last; i = next.getAndIncrement()) {
            byte[] k = key(i);
            if (threads == 1) {
              database.update(tx -> tx.bucket("bench").put(k, value));
            } else {
              database.batch(tx -> tx.bucket("bench").put(k, value));
            }
          }
        };
    long start = System.nanoTime();
    if (threads == 1) {
      writer.run();
    } else {
      try (var pool = java.util.concurrent.Executors.newFixedThreadPool(threads)) {
        List<java.util.concurrent.Future<?>> running = new java.util.ArrayList<>();
        for (int t = 0; t < threads; t++) {
          running.add(pool.submit(writer));
        }
        for (java.util.concurrent.Future<?> f : running) {
          f.get();
        }
      }
    }
    return System.nanoTime() - start;
  }

  private void validate() {
    if (count < 1
        || batchSize < 1
        || valueSize < 0
        || keySize < 1
        || keySize > Bucket.MAX_KEY_SIZE) {
      throw Usage.wrong(
          spec,
          "need --count >= 1, --batch >= 1, --value-size >= 0, 1 <= --key-size <= "
              + Bucket.MAX_KEY_SIZE);
    }
    if (durablePuts < 0 || threads < 1) {
      throw Usage.wrong(spec, "need --durable-puts >= 0 and --threads >= 1");
    }
    if (keySize < 8 && count > (1L << (8 * keySize))) {
      throw Usage.wrong(spec, "--key-size too small for --count distinct keys: keySize=" + keySize);
    }
  }

  private long commits() {
    return (count + batchSize - 1) / batchSize;
  }

  private byte[] key(long i) {
    byte[] k = new byte[keySize];
    long v = i;
    for (int b = Math.min(8, keySize) - 1; b >= 0; b--) {
      k[b] = (byte) v;
      v >>>= 8;
    }
    return k;
  }

  private long write(Db database) {
    int[] order = new int[count];
    Arrays.setAll(order, i -> i);
    if (random) {
      Random r = new Random(42);
      for (int i = count - 1; i > 0; i--) {
        int j = r.nextInt(i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
      }
    }
    byte[] value = new byte[valueSize];
    new Random(7).nextBytes(value);
    try (Progress progress = Progress.start("written", count, "puts")) {
      long start = System.nanoTime();
      for (int from = 0; from < count; from += batchSize) {
        int end = Math.min(count, from + batchSize);
        try (Tx tx = database.beginWrite()) {
          Bucket b = tx.createBucketIfAbsent("bench");
          for (int i = from; i < end; i++) {
            b.put(key(order[i]), value);
          }
          tx.commit();
        }
        progress.stepTo(end);
      }
      return System.nanoTime() - start;
    }
  }

  private long read(Db database) {
    SplittableRandom r = new SplittableRandom(11);
    long[] sink = {0};
    readRandom(database, Math.min(count, 200_000), r, sink);
    long start = System.nanoTime();
    readRandom(database, count, r, sink);
    long nanos = System.nanoTime() - start;
    if (sink[0] == 42) {
      spec.commandLine().getErr().print("");
    }
    return nanos;
  }

  private void readRandom(Db database, int gets, SplittableRandom r, long[] sink) {
    byte[] k = new byte[keySize];
    for (int done = 0; done < gets; ) {
      int n = Math.min(READS_PER_TX, gets - done);
      try (Tx tx = database.beginRead()) {
        Bucket b = tx.bucket("bench");
        for (int i = 0; i < n; i++) {
          long index = r.nextInt(count);
          for (int pos = Math.min(8, keySize) - 1, at = 0; pos >= 0; pos--, at += 8) {
            k[pos] = (byte) (index >>> at);
          }
          MemorySegment v = b.get(k);
          if (v == null) {
            throw new IllegalStateException(
                "a key written by the benchmark is missing: file=" + db + ", key=" + index);
          }
          sink[0] += v.byteSize();
        }
      }
      done += n;
    }
  }

  private long scan(Db database) {
    long[] nanos = new long[SCAN_PASSES];
    for (int pass = 0; pass < SCAN_PASSES; pass++) {
      long start = System.nanoTime();
      long entries =
          database.read(
              tx -> {
                long n = 0;
                long bytes = 0;
                Cursor c = tx.bucket("bench").cursor();
                for (boolean ok = c.first(); ok; ok = c.next()) {
                  bytes += c.key().byteSize() + c.value().byteSize();
                  n++;
                }
                return bytes > 0 ? n : -1;
              });
      nanos[pass] = System.nanoTime() - start;
      if (entries != count) {
        throw new IllegalStateException("scan saw " + entries + " entries, expected " + count);
      }
    }
    Arrays.sort(nanos);
    return nanos[SCAN_PASSES / 2];
  }

  private void print(ObjectNode r) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(r));
    } else {
      out.printf(
          Locale.ROOT,
          "mmkit kv bench: %,d entries, %d-byte keys, %d-byte values, %s order, %,d puts per"
              + " durable commit%n",
          count,
          keySize,
          valueSize,
          random ? "random" : "ascending",
          batchSize);
      out.printf(
          Locale.ROOT,
          "  write   %,12.0f puts/s    %,10.1f commits/s   (%s)%n",
          r.get("writesPerSecond").asDouble(),
          r.get("commitsPerSecond").asDouble(),
          Sizes.nanos(r.get("writeNanos").asLong()));
      out.printf(
          Locale.ROOT,
          "  get     %,12.0f gets/s    %,10.0f ns/get      (random keys, zero-copy views)%n",
          r.get("readsPerSecond").asDouble(),
          r.get("readNanos").asDouble() / count);
      out.printf(
          Locale.ROOT,
          "  scan    %,12.0f entries/s %s (median of %d passes)%n",
          r.get("scanEntriesPerSecond").asDouble(),
          Sizes.rate(r.get("scanBytesPerSecond").asDouble(), 1_000_000_000L),
          SCAN_PASSES);
      if (r.has("durablePutsPerSecond")) {
        out.printf(
            Locale.ROOT,
            "  durable %,12.0f puts/s    one put per durable commit, %d thread%s%s%n",
            r.get("durablePutsPerSecond").asDouble(),
            threads,
            threads == 1 ? "" : "s",
            threads == 1 ? "" : " sharing commits (Db.batch)");
      }
      out.printf(
          Locale.ROOT,
          "  file    %s, fill %.1f%%, depth %d%n",
          Sizes.bytes(r.get("fileSize").asLong()),
          r.get("fill").asDouble() * 100,
          r.get("depth").asInt());
    }
    out.flush();
  }
}
