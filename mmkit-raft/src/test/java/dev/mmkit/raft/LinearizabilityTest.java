package dev.mmkit.raft;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.raft.RegisterChecker.Event;
import dev.mmkit.raft.RegisterChecker.Kind;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LinearizabilityTest runs a register workload (a few keys; linearizable reads, writes and
 * compare-and-sets from several clients) across a leader kill, records each operation's call and
 * answer times, and checks the history of every key with {@link RegisterChecker}.
 */
class LinearizabilityTest {
  private static final BucketPath REGISTERS = BucketPath.of("registers");
  private static final int KEYS = 3;
  private static final int CLIENTS = 3;

  @TempDir Path dir;

  private final Map<Integer, ConcurrentLinkedQueue<Event>> histories = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicLong answered = new AtomicLong();

  @Test
  void shouldKeepEveryRegisterLinearizableAcrossALeaderKill() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 100_000)) {
      try (KvClient setup = cluster.client(Duration.ofSeconds(30))) {
        setup.createBucket(REGISTERS);
      }
      List<KvClient> clients = new ArrayList<>();
      List<Thread> threads = new ArrayList<>();
      for (int c = 0; c < CLIENTS; c++) {
        KvClient client = cluster.client(Duration.ofSeconds(3));
        clients.add(client);
        int id = c;
        threads.add(Thread.ofPlatform().start(() -> run(client, id, new Random(100 + id))));
      }
      try {
        awaitAnswered(40);
        String leader = cluster.awaitLeader();
        cluster.kill(leader);
        awaitAnswered(60);
        cluster.restart(leader);
        awaitAnswered(30);
      } finally {
        running.set(false);
        for (Thread t : threads) {
          t.join(Duration.ofSeconds(30));
        }
        clients.forEach(KvClient::close);
      }
      assertThat(failures).isEmpty();
      for (int key = 0; key < KEYS; key++) {
        List<Event> history =
            List.copyOf(histories.getOrDefault(key, new ConcurrentLinkedQueue<>()));
        assertThat(history).as("history of key " + key).hasSizeGreaterThan(10);
        assertThat(RegisterChecker.isLinearizable(history))
            .as("history of key " + key + " is linearizable: " + history)
            .isTrue();
      }
    }
  }

  private void awaitAnswered(long more) throws InterruptedException {
    long target = answered.get() + more;
    LocalCluster.await(
        "answered operations to reach " + target,
        Duration.ofSeconds(60),
        () -> answered.get() >= target || !failures.isEmpty());
    assertThat(failures).isEmpty();
  }

  private void run(KvClient client, int id, Random random) {
    try {
      for (int n = 0; running.get(); n++) {
        int key = random.nextInt(KEYS);
        Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
        String mine = "c" + id + "-" + n;
        String expected =
            kind != Kind.CAS || random.nextInt(4) == 0
                ? null
                : "c" + random.nextInt(CLIENTS) + "-" + random.nextInt(Math.max(1, n));
        Event event = call(client, ("r" + key).getBytes(UTF_8), kind, mine, expected);
        if (event != null) {
          histories.computeIfAbsent(key, x -> new ConcurrentLinkedQueue<>()).add(event);
        }
      }
    } catch (Throwable t) {
      failures.add(t);
    }
  }

  /** Runs one operation; returns its event, with an unknown answer when the call failed. */
  private Event call(KvClient client, byte[] key, Kind kind, String mine, String expected) {
    long call = System.nanoTime();
    try {
      Event event =
          switch (kind) {
            case READ -> {
              KeyValue kv = client.get(REGISTERS, key);
              yield new Event(
                  kind, kv == null ? null : kv.valueUtf8(), null, true, call, System.nanoTime());
            }
            case WRITE -> {
              client.put(REGISTERS, key, mine.getBytes(UTF_8));
              yield new Event(kind, mine, null, true, call, System.nanoTime());
            }
            case CAS -> {
              Compare guard =
                  expected == null
                      ? Compare.absent(REGISTERS, key)
                      : Compare.valueEquals(REGISTERS, key, expected.getBytes(UTF_8));
              boolean won =
                  client
                      .txn(
                          Write.when(guard)
                              .then(Op.put(REGISTERS, key, mine.getBytes(UTF_8)))
                              .otherwise())
                      .succeeded();
              yield new Event(kind, mine, expected, won, call, System.nanoTime());
            }
          };
      answered.incrementAndGet();
      return event;
    } catch (ClusterTimeoutException | ClusterException e) {
      return new Event(
          kind, kind == Kind.READ ? null : mine, expected, false, call, Long.MAX_VALUE);
    }
  }
}
