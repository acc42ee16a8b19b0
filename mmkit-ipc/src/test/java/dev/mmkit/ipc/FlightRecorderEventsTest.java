package dev.mmkit.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.testing.KernelTask;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FlightRecorderEventsTest records the channels' JDK Flight Recorder events with {@code jdk.jfr}
 * while making each happen, and reads them back: a blocking receive that slept (woken by a send,
 * and timed out), a broadcast receiver lapped, and the reservation of a dead producer skipped.
 */
class FlightRecorderEventsTest {
  @TempDir Path directory;

  @Test
  void shouldRecordSleepsOfABlockingReceiveAndWhatEndedThem() throws Exception {
    Path path = directory.resolve("sleepy");
    ChannelOptions options = ChannelOptions.defaults().withWaitStrategy(WaitStrategy.blocking());
    List<RecordedEvent> events =
        record(
            "mmkit.ipc.Sleep",
            () -> {
              try (ChannelReceiver receiver = OneToOneChannel.openReceiver(path, options);
                  ChannelSender sender = OneToOneChannel.openSender(path, options)) {
                assertThat(receiver.receive(m -> {}, 1, Duration.ofMillis(300))).isZero();
                CompletableFuture<KernelTask> receiving = new CompletableFuture<>();
                CompletableFuture<Integer> received =
                    CompletableFuture.supplyAsync(
                        () -> {
                          receiving.complete(KernelTask.current());
                          return receiver.receive(m -> {}, 1, Duration.ofSeconds(30));
                        });
                receiving
                    .get(30, TimeUnit.SECONDS)
                    .awaitFutexSleep(w -> true, "any", Duration.ofSeconds(30));
                assertThat(sender.offer(MemorySegment.ofArray(new long[] {7}))).isTrue();
                assertThat(received.get(30, TimeUnit.SECONDS)).isEqualTo(1);
              }
            });
    assertThat(events).as("sleeps recorded").isNotEmpty();
    assertThat(events)
        .allSatisfy(e -> assertThat(e.getString("channel")).isEqualTo(path.toString()));
    assertThat(events).anySatisfy(e -> assertThat(e.getBoolean("woken")).isTrue());
    assertThat(events).anySatisfy(e -> assertThat(e.getBoolean("woken")).isFalse());
  }

  @Test
  void shouldRecordALapOfABroadcastReceiver() throws Exception {
    Path path = directory.resolve("laps");
    ChannelOptions options = ChannelOptions.defaults().withCapacity(16 << 10);
    long[] laps = new long[1];
    List<RecordedEvent> events =
        record(
            "mmkit.ipc.Lap",
            () -> {
              try (BroadcastSender sender = OneToManyBroadcast.openSender(path, options);
                  BroadcastReceiver slow = OneToManyBroadcast.openReceiver(path, options)) {
                for (int i = 0; i < 2000; i++) {
                  sender.transmit(MemorySegment.ofArray(new byte[100]));
                }
                while (slow.poll(m -> {}, 100) > 0) {
                  // drain
                }
                laps[0] = slow.laps();
              }
            });
    assertThat(laps[0]).isPositive();
    assertThat(events).hasSize((int) laps[0]);
    assertThat(events.getFirst().getLong("skippedBytes")).isPositive();
    assertThat(events.getFirst().getString("channel")).isEqualTo(path.toString());
  }

  @Test
  void shouldRecordTheRecoveryOfADeadProducersReservation() throws Exception {
    Path path = directory.resolve("recovered");
    ChannelOptions options =
        ChannelOptions.defaults()
            .withCapacity(64 << 10)
            .withLivenessInterval(Duration.ofMillis(20));
    long[] reserved = new long[1];
    List<RecordedEvent> events =
        record(
            "mmkit.ipc.ProducerRecovered",
            () -> {
              try (ChannelReceiver receiver = ManyToOneChannel.openReceiver(path, options);
                  ChannelSender sender = ManyToOneChannel.openSender(path, options)) {
                sender.offer(MemorySegment.ofArray(new long[] {1}));
                try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
                    Mapping mapping = file.map()) {
                  long tail = mapping.getLong(ChannelLayout.TAIL_OFFSET);
                  long slot = ChannelLayout.slotOffset(5);
                  mapping.putLong(slot + ChannelLayout.SLOT_CLAIM_POSITION, tail);
                  mapping.putLong(slot + ChannelLayout.SLOT_CLAIM_LENGTH, 64);
                  mapping.putLong(slot + ChannelLayout.SLOT_TOKEN, ProducerCrashTest.DEAD_TOKEN);
                  mapping.putLong(ChannelLayout.TAIL_OFFSET, tail + 64);
                  reserved[0] = tail;
                }
                sender.offer(MemorySegment.ofArray(new long[] {2}));
                assertThat(ProducerCrashTest.receiveLongs(receiver, 2)).containsExactly(1L, 2L);
              }
            });
    assertThat(events)
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getLong("skippedBytes")).isEqualTo(64);
              assertThat(e.getLong("position")).isEqualTo(reserved[0]);
            });
  }

  /** Runs {@code body} under a recording of {@code event} and returns what was recorded. */
  static List<RecordedEvent> record(String event, ThrowingRunnable body) throws Exception {
    try (Recording recording = new Recording()) {
      recording.enable(event);
      recording.start();
      body.run();
      recording.stop();
      Path dump = java.nio.file.Files.createTempFile("mmkit-events", ".jfr");
      try {
        recording.dump(dump);
        return RecordingFile.readAllEvents(dump).stream()
            .filter(e -> e.getEventType().getName().equals(event))
            .toList();
      } finally {
        java.nio.file.Files.deleteIfExists(dump);
      }
    }
  }

  /** A body that may throw. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
