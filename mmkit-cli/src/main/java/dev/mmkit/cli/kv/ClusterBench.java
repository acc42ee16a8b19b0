package dev.mmkit.cli.kv;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmkit.raft.BucketPath;
import dev.mmkit.raft.ClusterAdmin;
import dev.mmkit.raft.ClusterException;
import dev.mmkit.raft.KeyValue;
import dev.mmkit.raft.KvClient;
import dev.mmkit.raft.MemberStatus;
import dev.mmkit.raft.ReadMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.HdrHistogram.Histogram;

/**
 * ClusterBench measures a replicated store through one {@link KvClient}: synchronous writes from
 * one thread, writes with many in flight (one blocking thread each), linearizable and follower
 * reads, and, when it may kill the leader, failover time. Keys are {@code bench-N}; every write the
 * cluster acknowledged is recorded, and a sample of them is read back linearizably before any
 * figure is reported.
 */
final class ClusterBench {
  private static final BucketPath BUCKET = BucketPath.of("bench");

  private final KvClient client;
  private final ClusterAdmin admin;
  private final byte[] value;
  private final AtomicLong nextKey = new AtomicLong();

  ClusterBench(KvClient client, ClusterAdmin admin, int valueSize) {
    this.client = client;
    this.admin = admin;
    this.value = new byte[valueSize];
    new SplittableRandom(7).nextBytes(value);
  }

  private static byte[] key(long i) {
    return ("bench-" + i).getBytes(StandardCharsets.UTF_8);
  }

  /** Creates the benchmark's bucket. */
  void prepare() {
    client.createBucket(BUCKET);
  }

  /**
   * Makes {@code writes} puts from {@code inFlight} threads and records writes/s and latency
   * percentiles under {@code name} in {@code report}.
   */
  void writes(String name, int writes, int inFlight, ObjectNode report) throws Exception {
    long first = nextKey.getAndAdd(writes);
    long end = first + writes;
    AtomicLong next = new AtomicLong(first);
    Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    long nanos =
        timed(
            inFlight,
            () -> {
              for (long i = next.getAndIncrement(); i < end; i = next.getAndIncrement()) {
                long start = System.nanoTime();
                client.put(BUCKET, key(i), value);
                long took = System.nanoTime() - start;
                synchronized (latency) {
                  latency.recordValue(took);
                }
              }
            });
    record(report.putObject(name), writes, nanos, latency).put("inFlight", inFlight);
  }

  /** Makes {@code reads} gets of written keys as {@code mode} says and records their latency. */
  void reads(String name, int reads, ReadMode mode, ObjectNode report) {
    SplittableRandom random = new SplittableRandom(11);
    long written = nextKey.get();
    Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(30), 3);
    long begin = System.nanoTime();
    for (int i = 0; i < reads; i++) {
      long start = System.nanoTime();
      client.get(BUCKET, key(random.nextLong(written)), mode);
      latency.recordValue(System.nanoTime() - start);
    }
    record(report.putObject(name), reads, System.nanoTime() - begin, latency)
        .put("mode", mode.toString());
  }

  /** Returns the id of a member that is not the leader. */
  String follower() {
    return admin.status().stream()
        .filter(s -> s.reachable() && "FOLLOWER".equals(s.role()))
        .map(s -> s.peer().id())
        .findFirst()
        .orElseThrow(() -> new ClusterException("no follower answers"));
  }

  /** Returns the id of the current leader. */
  String leader() {
    return admin.status().stream()
        .filter(s -> "LEADER".equals(s.role()))
        .map(MemberStatus::peer)
        .map(p -> p.id())
        .findFirst()
        .orElseThrow(() -> new ClusterException("no leader"));
  }

  /**
   * Kills the leader with {@code kill} and returns the nanoseconds from the kill to the first write
   * acknowledged after it.
   */
  long failover(LongConsumer kill) {
    long i = nextKey.getAndIncrement();
    long start = System.nanoTime();
    kill.accept(start);
    client.put(BUCKET, key(i), value);
    return System.nanoTime() - start;
  }

  /**
   * Reads {@code sample} of the acknowledged keys linearizably (spread over all of them, the last
   * one included) and returns how many were missing or wrong.
   */
  long verify(int sample) {
    long written = nextKey.get();
    long bad = 0;
    long step = Math.max(1, written / sample);
    for (long i = written - 1; i >= 0; i -= step) {
      KeyValue kv = client.get(BUCKET, key(i));
      if (kv == null || !Arrays.equals(kv.value(), value)) {
        bad++;
      }
    }
    return bad;
  }

  /** Returns the number of writes acknowledged so far. */
  long written() {
    return nextKey.get();
  }

  private static long timed(int threads, Runnable work) throws Exception {
    try (ExecutorService pool = Executors.newFixedThreadPool(threads)) {
      long start = System.nanoTime();
      List<Future<?>> running =
          java.util.stream.IntStream.range(0, threads)
              .<Future<?>>mapToObj(t -> pool.submit(work))
              .toList();
      for (Future<?> f : running) {
        f.get();
      }
      return System.nanoTime() - start;
    }
  }

  private static ObjectNode record(ObjectNode node, long ops, long nanos, Histogram latency) {
    return node.put("operations", ops)
        .put("perSecond", ops * 1e9 / nanos)
        .put("p50Micros", latency.getValueAtPercentile(50) / 1000.0)
        .put("p99Micros", latency.getValueAtPercentile(99) / 1000.0)
        .put("maxMicros", latency.getMaxValue() / 1000.0);
  }
}
