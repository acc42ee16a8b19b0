package dev.mmkit.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.core.MmkitException;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BatchPipelineTest drives {@link Db#batch} from several threads at once, so that durable batches
 * form a pipeline (the next batch is written while the log is flushed for the one before), through
 * the power-loss disk: power cuts at random writes and flushes (a third of them killing only the
 * process, so that the next open finds the files as the page cache left them and replays nothing),
 * and flushes that fail with a disk error. Every writer thread owns its keys and has at most one
 * call in flight, so after each cut the test knows exactly which values a key may hold: its last
 * acknowledged one, or the one its writer had in flight. Every reopened file must pass its check.
 */
class BatchPipelineTest {
  private static final int THREADS = 6;
  private static final int KEYS_PER_THREAD = 48;
  private static final byte[] BUCKET = "b".getBytes();

  @TempDir Path dir;

  @Test
  void shouldLoseNoAcknowledgedBatchAcrossPowerLosses() throws Exception {
    new Cuts(dir.resolve("batch.db"), 41).run(60);
  }

  @Test
  @Tag("soak")
  void shouldLoseNoAcknowledgedBatchAcrossThousandsOfPowerLosses() throws Exception {
    new Cuts(dir.resolve("batch.db"), 43).run(2_000);
  }

  @Test
  void shouldFailTheBatchesOfAFailedFlushAndGoOnAfterIt() throws Exception {
    Path file = dir.resolve("failing.db");
    PowerLossDisk disk = new PowerLossDisk(file, 47);
    Writers writers = new Writers();
    try (Db db = Db.open(file, DbOptions.defaults(), disk::open)) {
      db.update(tx -> tx.createBucketIfAbsent("b"));
      disk.failFlush(25);
      List<Throwable> failures = writers.write(db, 300, true);
      assertThat(failures).as("callers told that their batch failed").isNotEmpty();
      assertThat(failures)
          .allSatisfy(
              f ->
                  assertThat(f)
                      .isInstanceOf(MmkitException.class)
                      .hasStackTraceContaining("simulated disk error during a flush"));
      // The callers went on after the failure and wrote most of their calls.
      assertThat(writers.acknowledgedCount()).isGreaterThan(THREADS * 300 / 2);
      db.view(tx -> writers.verify(contentsOf(tx), "while open"));
      assertThat(db.check()).isEmpty();
    }
    disk.powerCycle();
    try (Db db = Db.open(file, DbOptions.defaults(), disk::open)) {
      db.view(tx -> writers.verify(contentsOf(tx), "after a power cut"));
      assertThat(db.check()).isEmpty();
    }
  }

  /** Cuts runs one sequence of power losses under concurrent batches. */
  private static final class Cuts {
    private final Path file;
    private final Random random;
    private final PowerLossDisk disk;
    private final Writers writers = new Writers();
    private long setAside;

    Cuts(Path file, long seed) throws Exception {
      this.file = file;
      this.random = new Random(seed);
      this.disk = new PowerLossDisk(file, seed);
      disk.stayDeadAfterLoss();
    }

    void run(int cycles) throws Exception {
      for (int cycle = 0; cycle < cycles; cycle++) {
        Db db = Db.open(file, DbOptions.defaults(), disk::open);
        try {
          verify(db, cycle);
          writers.startOver(db.read(BatchPipelineTest::contentsOf));
          if (random.nextBoolean()) {
            disk.armAtFlush(1 + random.nextInt(30));
          } else {
            disk.arm(1 + random.nextInt(300));
          }
          writers.write(db, 200, false);
        } finally {
          closeAfterTheCut(db);
        }
        if (random.nextInt(3) == 0) {
          disk.restartProcess(); // Only the process died: no replay at the next open.
        } else {
          disk.powerCycle();
        }
      }
      System.out.printf(
          "batch power losses=%d, calls acknowledged=%d, commits set aside at open=%d%n",
          disk.losses(), writers.acknowledgedCount(), setAside);
      assertThat(disk.losses()).isGreaterThan(cycles / 2);
      assertThat(writers.acknowledgedCount()).isGreaterThan(cycles * 10L);
    }

    private void verify(Db db, int cycle) {
      db.view(tx -> writers.verify(contentsOf(tx), "cycle " + cycle));
      List<DbProblem> problems = db.check();
      if (db.discardedCommit().isEmpty()) {
        assertThat(problems).as("cycle %d", cycle).isEmpty();
        return;
      }
      setAside++;
      assertThat(problems)
          .as("cycle %d: the set-aside commit is the only problem", cycle)
          .hasSize(1)
          .allMatch(p -> p.severity() == DbProblem.Severity.COMMIT);
    }

    private static void closeAfterTheCut(Db db) {
      try {
        db.close();
      } catch (RuntimeException | PowerLossDisk.PowerLoss ignored) {
        // The disk is gone; what the close could not write is the power cut's to decide.
      }
    }
  }

  /**
   * Writers are the writer threads and what each knows: per key the last value acknowledged to it,
   * and the one call it may have in flight.
   */
  private static final class Writers {
    private final Map<String, byte[]> acknowledged = new HashMap<>();
    private final Map<Integer, Map.Entry<String, byte[]>> inFlight = new HashMap<>();
    private long acknowledgedCount;
    private int round;

    long acknowledgedCount() {
      return acknowledgedCount;
    }

    /** Takes what the database holds now as acknowledged: the last cut has been judged. */
    void startOver(Map<String, byte[]> found) {
      acknowledged.clear();
      acknowledged.putAll(found);
      inFlight.clear();
      round++;
    }

    /**
     * Runs the writer threads, each making {@code callsEach} batch calls or stopping at its first
     * failure (unless {@code goOn}); returns the failures.
     */
    List<Throwable> write(Db db, int callsEach, boolean goOn) throws Exception {
      ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
      AtomicLong calls = new AtomicLong();
      List<Map<String, byte[]>> acked = new ArrayList<>();
      List<Map.Entry<String, byte[]>> last = new ArrayList<>();
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        List<Future<?>> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          Map<String, byte[]> mine = new HashMap<>();
          acked.add(mine);
          last.add(null);
          int thread = t;
          threads.add(
              pool.submit(
                  () -> {
                    Random r = new Random(round * 31L + thread);
                    for (int i = 0; i < callsEach; i++) {
                      String key = key(thread, r.nextInt(KEYS_PER_THREAD));
                      byte[] value = value(round, thread, i, r);
                      synchronized (last) {
                        last.set(thread, Map.entry(key, value));
                      }
                      try {
                        db.batch(tx -> tx.createBucketIfAbsent(BUCKET).put(key.getBytes(), value));
                      } catch (RuntimeException | Error e) {
                        failures.add(e);
                        if (!goOn) {
                          return;
                        }
                        continue;
                      }
                      mine.put(key, value);
                      calls.incrementAndGet();
                      synchronized (last) {
                        last.set(thread, null);
                      }
                    }
                  }));
        }
        for (Future<?> f : threads) {
          f.get(120, TimeUnit.SECONDS); // An assertion error or a hang surfaces here.
        }
      } finally {
        pool.shutdownNow();
      }
      for (int t = 0; t < THREADS; t++) {
        acknowledged.putAll(acked.get(t));
        if (last.get(t) != null) {
          inFlight.put(t, last.get(t));
        }
      }
      acknowledgedCount += calls.get();
      return List.copyOf(failures);
    }

    /**
     * Checks that every key holds its last acknowledged value, or the value its writer had in
     * flight (a failed call may have reached the disk), and that no other key exists.
     */
    void verify(Map<String, byte[]> found, String when) {
      for (int t = 0; t < THREADS; t++) {
        for (int k = 0; k < KEYS_PER_THREAD; k++) {
          String key = key(t, k);
          byte[] value = found.get(key);
          byte[] expected = acknowledged.get(key);
          Map.Entry<String, byte[]> flight = inFlight.get(t);
          boolean isExpected = Arrays.equals(value, expected);
          boolean isInFlight =
              flight != null
                  && flight.getKey().equals(key)
                  && Arrays.equals(value, flight.getValue());
          assertThat(isExpected || isInFlight)
              .as(
                  "%s: key %s holds its last acknowledged value or the one in flight: found %s,"
                      + " acknowledged %s, in flight %s",
                  when,
                  key,
                  describe(value),
                  describe(expected),
                  flight == null ? "nothing" : flight.getKey() + "=" + describe(flight.getValue()))
              .isTrue();
        }
      }
      assertThat(found.keySet()).allMatch(k -> k.startsWith("t"));
    }
  }

  private static Map<String, byte[]> contentsOf(Tx tx) {
    Map<String, byte[]> found = new HashMap<>();
    Bucket b = tx.bucket(BUCKET);
    if (b != null) {
      b.scan(
          KeyRange.all(),
          (k, v) -> {
            found.put(
                new String(k.toArray(ValueLayout.JAVA_BYTE)), v.toArray(ValueLayout.JAVA_BYTE));
            return true;
          });
    }
    return found;
  }

  private static String key(int thread, int k) {
    return "t" + thread + "-" + k;
  }

  /**
   * A value naming its round, thread and call, of a size that varies (some need overflow pages).
   */
  private static byte[] value(int round, int thread, int call, Random r) {
    int size = r.nextInt(10) == 0 ? 4000 + r.nextInt(9000) : 16 + r.nextInt(200);
    ByteBuffer b = ByteBuffer.allocate(size);
    b.putInt(round).putInt(thread).putInt(call);
    while (b.hasRemaining()) {
      b.put((byte) (call + b.position()));
    }
    return b.array();
  }

  private static String describe(byte[] value) {
    if (value == null) {
      return "nothing";
    }
    ByteBuffer b = ByteBuffer.wrap(value);
    return "round "
        + b.getInt()
        + " thread "
        + b.getInt()
        + " call "
        + b.getInt()
        + " ("
        + value.length
        + " bytes)";
  }
}
