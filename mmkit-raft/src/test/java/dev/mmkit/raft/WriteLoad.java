package dev.mmkit.raft;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * WriteLoad writes from several clients at once, each from its own thread and {@link KvClient}, and
 * remembers every write the cluster acknowledged. Each write is {@code when absent(key) then
 * put(key) else put(dup/key)}: a write applied twice leaves a {@code dup/} key behind, so a test
 * can tell. Unexpected failures in the writer threads are kept and rethrown by {@link #stop()}.
 */
final class WriteLoad implements AutoCloseable {
  static final BucketPath BUCKET = BucketPath.of("load");
  static final BucketPath DUPS = BucketPath.of("dups");

  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, String> acknowledged = new ConcurrentHashMap<>();
  private final AtomicLong acks = new AtomicLong();
  private final AtomicLong unknown = new AtomicLong();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private final List<Thread> threads = new ArrayList<>();
  private final List<KvClient> clients = new ArrayList<>();

  /** Starts {@code writers} writer threads against {@code cluster}. */
  static WriteLoad start(LocalCluster cluster, int writers, int valueBytes) {
    try (KvClient setup = cluster.client(Duration.ofSeconds(30))) {
      setup.txn(Write.of(Op.createBucket(BUCKET), Op.createBucket(DUPS)));
    }
    WriteLoad load = new WriteLoad();
    for (int w = 0; w < writers; w++) {
      KvClient client = cluster.client(Duration.ofSeconds(5));
      load.clients.add(client);
      String prefix = "w" + w + "-";
      load.threads.add(Thread.ofPlatform().start(() -> load.write(client, prefix, valueBytes)));
    }
    return load;
  }

  private void write(KvClient client, String prefix, int valueBytes) {
    String padding = "x".repeat(valueBytes);
    for (long i = 0; running.get(); i++) {
      String key = prefix + i;
      String value = i + ":" + padding;
      byte[] k = key.getBytes(UTF_8);
      try {
        WriteResult r =
            client.txn(
                Write.when(Compare.absent(BUCKET, k))
                    .then(Op.put(BUCKET, k, value.getBytes(UTF_8)))
                    .otherwise(Op.put(DUPS, k, value.getBytes(UTF_8))));
        if (!r.succeeded()) {
          failures.add(new AssertionError("write applied twice or key reused: key=" + key));
        }
        acknowledged.put(key, value);
        acks.incrementAndGet();
      } catch (ClusterTimeoutException | ClusterException e) {
        unknown.incrementAndGet(); // outcome unknown: may or may not be applied
      } catch (Throwable t) {
        failures.add(t);
        return;
      }
    }
  }

  /** Returns the number of writes acknowledged so far. */
  long acks() {
    return acks.get();
  }

  /** Returns the number of writes whose outcome is unknown. */
  long unknown() {
    return unknown.get();
  }

  /** Waits until {@code more} writes beyond the current count were acknowledged. */
  void awaitProgress(long more, Duration timeout) throws InterruptedException {
    long target = acks() + more;
    LocalCluster.await(
        "acknowledged writes to reach " + target + " (failures=" + failures + ")",
        timeout,
        () -> acks() >= target || !failures.isEmpty());
    rethrow();
  }

  /** Stops the writers, waits for them and rethrows the first failure any of them met. */
  Map<String, String> stop() throws InterruptedException {
    running.set(false);
    for (Thread t : threads) {
      t.join(Duration.ofSeconds(60));
    }
    rethrow();
    return Map.copyOf(acknowledged);
  }

  private void rethrow() {
    Throwable first = failures.peek();
    if (first != null) {
      AssertionError e = new AssertionError("writer failed: " + first, first);
      failures.stream().skip(1).forEach(e::addSuppressed);
      throw e;
    }
  }

  @Override
  public void close() {
    running.set(false);
    clients.forEach(KvClient::close);
  }
}
