package dev.mmkit.kv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.core.testing.ChildJvm;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CrashTest kills a writing child JVM with SIGKILL at random moments, over many cycles, and checks
 * after each that every acknowledged commit survived, nothing unacknowledged is half there, and the
 * file passes the consistency check. The killed writer holds the writer lock and a reader slot, so
 * each cycle also exercises their recovery.
 */
class CrashTest {
  @TempDir Path dir;

  @Test
  void shouldKeepEveryAcknowledgedCommitAcrossKills() throws Exception {
    run(8, Durability.SYNC, 3);
  }

  @Test
  @Tag("soak")
  void shouldKeepEveryAcknowledgedCommitAcrossAThousandKills() throws Exception {
    run(1000, Durability.SYNC, 5);
  }

  @Test
  void shouldKeepEveryAcknowledgedBatchAcrossKills() throws Exception {
    runBatches(6, 7);
  }

  @Test
  @Tag("soak")
  void shouldKeepEveryAcknowledgedBatchAcrossHundredsOfKills() throws Exception {
    runBatches(300, 11);
  }

  /**
   * Kills a child whose threads commit with {@link Db#batch} (a pipeline of batches, the writer
   * lock held across them) and checks that each thread's acknowledged keys all survived.
   */
  private void runBatches(int cycles, long seed) throws Exception {
    Path file = dir.resolve("batch-crash.db");
    Random random = new Random(seed);
    long[] acknowledged = new long[BatchCrashWriter.THREADS];
    Arrays.fill(acknowledged, -1);
    long calls = 0;
    for (int cycle = 0; cycle < cycles; cycle++) {
      try (ChildJvm child = ChildJvm.start(BatchCrashWriter.class, file.toString())) {
        child.awaitLine("start", Duration.ofSeconds(60));
        Thread.sleep(100 + random.nextInt(400));
        child.kill();
        for (String line : child.output()) {
          if (line.startsWith("acked ")) {
            String[] parts = line.split(" ");
            int thread = Integer.parseInt(parts[1]);
            acknowledged[thread] = Math.max(acknowledged[thread], Long.parseLong(parts[2]));
            calls++;
          }
        }
        assertThat(child.errors()).doesNotContain("Exception");
      }
      verifyBatches(file, acknowledged);
    }
    System.out.println("batch crash cycles=" + cycles + ", acknowledged calls=" + calls);
    assertThat(calls).as("the writers made progress").isGreaterThan(cycles * 4L);
  }

  private static void verifyBatches(Path file, long[] acknowledged) {
    try (Db db = Db.open(file)) {
      assertThat(db.check()).isEmpty();
      db.view(
          tx -> {
            Bucket b = tx.bucket(BatchCrashWriter.BUCKET);
            long total = 0;
            for (int t = 0; t < BatchCrashWriter.THREADS; t++) {
              long count = BatchCrashWriter.count(b, t);
              assertThat(count - 1)
                  .as("thread %d: every acknowledged key is there", t)
                  .isGreaterThanOrEqualTo(acknowledged[t]);
              for (long n = 0; n < count; n++) {
                assertThat(b.getBytes(BatchCrashWriter.key(t, n)))
                    .isEqualTo(BatchCrashWriter.value(t, n));
              }
              total += count;
            }
            assertThat(b.count()).as("no key beyond each thread's run").isEqualTo(total);
          });
    }
  }

  private void run(int cycles, Durability durability, long seed) throws Exception {
    Path file = dir.resolve("crash.db");
    Random random = new Random(seed);
    long acknowledged = -1;
    for (int cycle = 0; cycle < cycles; cycle++) {
      try (ChildJvm child = ChildJvm.start(CrashWriter.class, file.toString(), durability.name())) {
        child.awaitLine("start", Duration.ofSeconds(60));
        Thread.sleep(50 + random.nextInt(400));
        child.kill();
        for (String line : child.output()) {
          if (line.startsWith("committed ")) {
            acknowledged = Math.max(acknowledged, Long.parseLong(line.substring(10)));
          }
        }
        assertThat(child.errors()).doesNotContain("Exception");
      }
      verify(file, acknowledged);
    }
    System.out.println("crash cycles=" + cycles + ", acknowledged commits=" + (acknowledged + 1));
    assertThat(acknowledged).as("the writer made progress").isGreaterThan(cycles);
  }

  private static void verify(Path file, long acknowledged) {
    try (Db db = Db.open(file)) {
      List<DbProblem> problems = db.check();
      assertThat(problems).isEmpty();
      db.view(
          tx -> {
            Bucket keys = tx.bucket("keys");
            long count = keys == null ? 0 : keys.count();
            assertThat(count - 1)
                .as("acknowledged commits present")
                .isGreaterThanOrEqualTo(acknowledged);
            if (count == 0) {
              return;
            }
            for (long n = 0; n < count; n++) {
              assertThat(keys.getBytes(CrashWriter.key(n))).isEqualTo(CrashWriter.value(n));
            }
            long counter =
                ByteBuffer.wrap(tx.bucket("meta").getBytes("counter".getBytes())).getLong();
            assertThat(counter).isEqualTo(count - 1);
            long big = counter / 25 * 25;
            assertThat(tx.bucket("meta").getBytes("big".getBytes()))
                .isEqualTo(CrashWriter.bigValue(big));
          });
    }
  }
}
