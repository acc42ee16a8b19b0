package dev.mmkit.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FlightRecorderEventsTest records mmkit-kv's JDK Flight Recorder events with {@code jdk.jfr} while
 * making each happen, and reads them back: a durable commit that grows the file, the remap a reader
 * then needs, and a read transaction that stays open while commits go on.
 */
class FlightRecorderEventsTest {
  private static final int PAGE = 4096;
  private static final int VALUES = 3000;
  private static final int VALUE_BYTES = 1000;

  @TempDir Path dir;

  @Test
  void shouldRecordACommitTheFileGrowthItNeededAndTheRemapOfTheNextReader() throws Exception {
    Path file = dir.resolve("events.db");
    long[] txid = new long[1];
    long[] sizeAfter = new long[1];
    Map<String, List<RecordedEvent>> events =
        record(
            List.of("mmkit.kv.Commit", "mmkit.kv.FileGrowth", "mmkit.kv.Remap"),
            () -> {
              try (Db db = Db.open(file)) {
                db.update(
                    tx -> {
                      Bucket b = tx.createBucketIfAbsent("b");
                      for (int i = 0; i < VALUES; i++) {
                        b.put(("k" + i).getBytes(), new byte[VALUE_BYTES]);
                      }
                    });
                txid[0] = db.read(Tx::id);
                sizeAfter[0] = Files.size(file);
                byte[] value = db.read(tx -> tx.bucket("b").getBytes("k7".getBytes()));
                assertThat(value).hasSize(VALUE_BYTES);
              }
            });

    List<RecordedEvent> commits = events.get("mmkit.kv.Commit");
    assertThat(commits).hasSize(1);
    RecordedEvent commit = commits.getFirst();
    assertThat(commit.getString("file")).isEqualTo(file.toString());
    assertThat(commit.getLong("txid")).isEqualTo(txid[0]);
    assertThat(commit.getLong("pages"))
        .as("at least the pages the values fill")
        .isGreaterThanOrEqualTo((long) VALUES * VALUE_BYTES / PAGE);
    assertThat(commit.getLong("bytes")).as("whole pages").isEqualTo(commit.getLong("pages") * PAGE);
    assertThat(commit.getString("durability")).isEqualTo("SYNC");
    assertThat(commit.getLong("flushTime")).as("a durable commit flushes").isPositive();
    assertThat(commit.getBoolean("fileGrew")).isTrue();
    assertThat(commit.getLong("oldestReaderLag")).isZero();

    List<RecordedEvent> growths = events.get("mmkit.kv.FileGrowth");
    assertThat(growths).isNotEmpty();
    RecordedEvent last = growths.getLast();
    assertThat(last.getString("file")).isEqualTo(file.toString());
    assertThat(last.getLong("toSize")).isGreaterThan(last.getLong("fromSize"));
    assertThat(last.getLong("toSize")).isEqualTo(sizeAfter[0]);
    assertThat(last.getLong("toSize")).isGreaterThanOrEqualTo((long) VALUES * VALUE_BYTES);

    List<RecordedEvent> remaps = events.get("mmkit.kv.Remap");
    assertThat(remaps).as("the reader after the commit needed the grown file").isNotEmpty();
    RecordedEvent remap = remaps.getLast();
    assertThat(remap.getString("file")).isEqualTo(file.toString());
    assertThat(remap.getLong("fromSize")).isLessThan(remap.getLong("toSize"));
    assertThat(remap.getLong("toSize")).isEqualTo(sizeAfter[0]);
  }

  @Test
  void shouldRecordAReaderThatPinnedPagesWhileCommitsWentOn() throws Exception {
    Path file = dir.resolve("reader.db");
    int commitsMeanwhile = 5;
    long[] snapshot = new long[1];
    Map<String, List<RecordedEvent>> events =
        record(
            List.of("mmkit.kv.ReadTransaction", "mmkit.kv.Commit"),
            () -> {
              try (Db db = Db.open(file, DbOptions.defaults().durability(Durability.NO_SYNC))) {
                db.update(tx -> tx.createBucketIfAbsent("b").put("k", "0"));
                CountDownLatch reading = new CountDownLatch(1);
                CountDownLatch done = new CountDownLatch(1);
                CompletableFuture<Long> reader =
                    CompletableFuture.supplyAsync(
                        () -> {
                          try (Tx tx = db.beginRead()) {
                            reading.countDown();
                            await(done);
                            return tx.id();
                          }
                        });
                assertThat(reading.await(30, TimeUnit.SECONDS)).isTrue();
                for (int i = 1; i <= commitsMeanwhile; i++) {
                  String n = Integer.toString(i);
                  db.update(tx -> tx.bucket("b").put("k", n));
                }
                done.countDown();
                snapshot[0] = reader.get(30, TimeUnit.SECONDS);
              }
            });

    List<RecordedEvent> reads =
        events.get("mmkit.kv.ReadTransaction").stream()
            .filter(e -> e.getLong("txid") == snapshot[0])
            .toList();
    assertThat(reads).hasSize(1);
    RecordedEvent read = reads.getFirst();
    assertThat(read.getString("file")).isEqualTo(file.toString());
    assertThat(read.getLong("commitsSince")).isEqualTo(commitsMeanwhile);
    assertThat(read.getDuration()).isPositive();

    RecordedEvent lastCommit = events.get("mmkit.kv.Commit").getLast();
    assertThat(lastCommit.getLong("txid")).isEqualTo(snapshot[0] + commitsMeanwhile);
    assertThat(lastCommit.getLong("oldestReaderLag")).isEqualTo(commitsMeanwhile - 1);
    assertThat(lastCommit.getLong("pendingPages"))
        .as("pages the reader may still see are kept")
        .isPositive();
    assertThat(lastCommit.getString("durability")).isEqualTo("NO_SYNC");
    assertThat(lastCommit.getLong("flushTime")).isZero();
  }

  @Test
  void shouldRecordOnlyLongReadTransactionsUnlessAskedOtherwise() throws Exception {
    Path file = dir.resolve("short.db");
    try (Db db = Db.open(file)) {
      db.update(tx -> tx.createBucketIfAbsent("b").put("k", "v"));
      try (Recording recording = new Recording()) {
        recording.enable("mmkit.kv.ReadTransaction");
        recording.start();
        for (int i = 0; i < 100; i++) {
          db.read(tx -> tx.bucket("b").getBytes("k".getBytes()));
        }
        recording.stop();
        assertThat(events(recording, List.of("mmkit.kv.ReadTransaction")).values())
            .as("reads shorter than the default threshold of 1 s")
            .allSatisfy(list -> assertThat(list).isEmpty());
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(30, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** Runs {@code body} in a recording of {@code names} with no threshold; returns them by name. */
  private static Map<String, List<RecordedEvent>> record(List<String> names, ThrowingRunnable body)
      throws Exception {
    try (Recording recording = new Recording()) {
      for (String name : names) {
        recording.enable(name).withThreshold(Duration.ZERO);
      }
      recording.start();
      body.run();
      recording.stop();
      return events(recording, names);
    }
  }

  private static Map<String, List<RecordedEvent>> events(Recording recording, List<String> names)
      throws Exception {
    Path dump = Files.createTempFile("mmkit-kv-events", ".jfr");
    try {
      recording.dump(dump);
      List<RecordedEvent> all = RecordingFile.readAllEvents(dump);
      return names.stream()
          .collect(
              java.util.stream.Collectors.toMap(
                  n -> n,
                  n -> all.stream().filter(e -> e.getEventType().getName().equals(n)).toList()));
    } finally {
      Files.deleteIfExists(dump);
    }
  }

  /** A body that may throw. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
