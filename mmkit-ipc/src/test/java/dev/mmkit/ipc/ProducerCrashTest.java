package dev.mmkit.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.CorruptException;
import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.testing.ChildJvm;
import dev.mmkit.ipc.internal.ParkedProducer;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProducerCrashTest {
  private static final ChannelOptions OPTIONS =
      ChannelOptions.defaults().withCapacity(64 << 10).withLivenessInterval(Duration.ofMillis(20));

  /** A token naming no live process: PID 4,000,000 is above any pid_max this suite runs with. */
  static final long DEAD_TOKEN = (4_000_000L << 32) | 1;

  @TempDir Path directory;

  static List<Long> receiveLongs(ChannelReceiver receiver, int count) {
    List<Long> values = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (values.size() < count && System.nanoTime() < deadline) {
      receiver.receive(
          m -> values.add(m.get(ValueLayout.JAVA_LONG_UNALIGNED, 0)),
          count - values.size(),
          Duration.ofMillis(200));
    }
    return values;
  }

  @ParameterizedTest
  @CsvSource({"one, blocking", "many, blocking", "one, busy-spin", "many, busy-spin"})
  void shouldSkipTheClaimOfAProducerKilledBeforeCommitting(String kind, String waiting)
      throws Exception {
    Path path = directory.resolve("channel");
    ChannelOptions options =
        waiting.equals("busy-spin") ? OPTIONS.withWaitStrategy(WaitStrategy.busySpin()) : OPTIONS;
    ChannelReceiver receiver =
        kind.equals("many")
            ? ManyToOneChannel.openReceiver(path, options)
            : OneToOneChannel.openReceiver(path, options);
    try (ChildJvm producer =
        ChildJvm.start(ChannelPeer.class, "send-then-claim", path.toString(), "300", kind)) {
      producer.awaitLine("CLAIMED", Duration.ofSeconds(60));
      producer.kill();
      List<Long> values = receiveLongs(receiver, 300);
      assertThat(values).hasSize(300);
      for (int i = 0; i < 300; i++) {
        assertThat(values.get(i)).isEqualTo(i);
      }
      assertThat(receiver.receive(m -> {}, 1, Duration.ofMillis(300))).isZero();
      assertThat(receiver.skippedClaims()).isEqualTo(1);
      assertThat(receiver.liveProducers()).isZero();
      try (ChannelSender next = ChannelPeer.sender(path, OPTIONS, kind)) {
        next.offer(MemorySegment.ofArray(new long[] {1234}));
      }
      assertThat(receiveLongs(receiver, 1)).containsExactly(1234L);
    } finally {
      receiver.close();
    }
  }

  @Test
  void shouldSkipALiveProducersClaimOnlyAfterTheClaimTimeout() {
    Path path = directory.resolve("channel");
    ChannelOptions patient = OPTIONS.withClaimTimeout(Duration.ofMillis(200));
    try (ChannelReceiver receiver = OneToOneChannel.openReceiver(path, patient);
        ChannelSender sender = OneToOneChannel.openSender(path, patient)) {
      long stuck = sender.tryClaim(8);
      assertThat(stuck).isNotEqualTo(ChannelSender.FULL);
      assertThat(receiver.receive(m -> {}, 1, Duration.ofMillis(50))).isZero();
      assertThat(receiver.skippedClaims()).isZero();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (receiver.skippedClaims() == 0 && System.nanoTime() < deadline) {
        receiver.receive(m -> {}, 1, Duration.ofMillis(50));
      }
      assertThat(receiver.skippedClaims()).isEqualTo(1);
    }
  }

  @Test
  void shouldSkipSpaceReservedByAProducerThatDiedBeforeWritingAnything() throws Exception {
    Path path = directory.resolve("channel");
    try (ChannelReceiver receiver = ManyToOneChannel.openReceiver(path, OPTIONS);
        ChannelSender sender = ManyToOneChannel.openSender(path, OPTIONS)) {
      sender.offer(MemorySegment.ofArray(new long[] {1}));
      // What a producer killed between moving the tail and writing the header leaves behind.
      try (MappedFile file = MappedFile.open(path, dev.mmkit.core.MapMode.READ_WRITE);
          Mapping mapping = file.map()) {
        long tail = mapping.getLong(ChannelLayout.TAIL_OFFSET);
        long slot = ChannelLayout.slotOffset(5);
        mapping.putLong(slot + ChannelLayout.SLOT_CLAIM_POSITION, tail);
        mapping.putLong(slot + ChannelLayout.SLOT_CLAIM_LENGTH, 64);
        mapping.putLong(slot + ChannelLayout.SLOT_TOKEN, DEAD_TOKEN);
        mapping.putLong(ChannelLayout.TAIL_OFFSET, tail + 64);
      }
      sender.offer(MemorySegment.ofArray(new long[] {2}));
      assertThat(receiveLongs(receiver, 2)).containsExactly(1L, 2L);
      assertThat(receiver.skippedClaims()).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @CsvSource({"one", "many"})
  void shouldSkipTheReservationOfAProducerKilledAfterMovingTheTail(String kind) throws Exception {
    Path path = directory.resolve("channel");
    try (ChannelReceiver receiver = openReceiver(path, kind);
        ChildJvm producer = parked(path, kind, 50, 8, "TAIL_MOVED", 1)) {
      long position = parkedAt(producer, "TAIL_MOVED");
      producer.kill();
      assertThat(receiveLongs(receiver, 50)).hasSize(50).isSorted().startsWith(0L).endsWith(49L);
      assertThat(headerLong(path, ChannelLayout.TAIL_OFFSET)).isGreaterThan(position);
      try (ChannelSender next = ChannelPeer.sender(path, OPTIONS, kind)) {
        next.offer(MemorySegment.ofArray(new long[] {1234}));
      }
      assertThat(receiveLongs(receiver, 1)).containsExactly(1234L);
      assertThat(receiver.skippedClaims()).isEqualTo(1);
      assertThat(receiver.droppedMessages()).isZero();
    }
  }

  @ParameterizedTest
  @CsvSource({"100, 300", "300, 100"})
  void shouldRecoverFromTwoProducersKilledInsideTheSameReservation(int winner, int loser)
      throws Exception {
    Path path = directory.resolve("channel");
    try (ChannelReceiver receiver = ManyToOneChannel.openReceiver(path, OPTIONS);
        ChildJvm losing = parked(path, "many", 10, loser, "SLOT_WRITTEN", 1)) {
      // The loser has named the space at the tail in its slot but not moved the tail; the winner
      // then reserves the same space, moves the tail and stops before writing anything in it.
      long contested = parkedAt(losing, "SLOT_WRITTEN");
      try (ChildJvm winning = parked(path, "many", 0, winner, "TAIL_MOVED", 1)) {
        assertThat(parkedAt(winning, "TAIL_MOVED")).isEqualTo(contested);
        losing.kill();
        winning.kill();
      }
      assertThat(receiveLongs(receiver, 10)).hasSize(10).endsWith(9L);
      try (ChannelSender next = ManyToOneChannel.openSender(path, OPTIONS)) {
        next.offer(MemorySegment.ofArray(new long[] {1234}));
      }
      assertThat(receiveLongs(receiver, 1)).containsExactly(1234L);
      assertThat(receiver.skippedClaims()).isEqualTo(1);
    }
  }

  @Test
  void shouldCountAFragmentedMessageCutShortByAKilledProducerAsDropped() throws Exception {
    Path path = directory.resolve("channel");
    try (ChannelReceiver receiver = ManyToOneChannel.openReceiver(path, OPTIONS);
        ChildJvm producer = parked(path, "many", 5, 20_000, "TAIL_MOVED", 3)) {
      // 20,000 bytes go as three fragments in a 64 KiB ring: killed before writing the third.
      parkedAt(producer, "TAIL_MOVED");
      producer.kill();
      assertThat(receiveLongs(receiver, 5)).containsExactly(0L, 1L, 2L, 3L, 4L);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (receiver.skippedClaims() == 0 && System.nanoTime() < deadline) {
        assertThat(receiver.receive(m -> {}, 1, Duration.ofMillis(50))).isZero();
      }
      assertThat(receiver.skippedClaims()).isEqualTo(1);
      assertThat(receiver.droppedMessages()).isEqualTo(1);
    }
  }

  @Test
  void shouldSkipTheShortestDeadReservationThatTheRestOfTheRingAgreesWith() throws Exception {
    Path path = directory.resolve("channel");
    try (ChannelReceiver receiver = ManyToOneChannel.openReceiver(path, OPTIONS);
        ChannelSender sender = ManyToOneChannel.openSender(path, OPTIONS)) {
      sender.offer(MemorySegment.ofArray(new long[] {1}));
      long contested = headerLong(path, ChannelLayout.TAIL_OFFSET);
      // Two dead slots name the space at the tail: a winner's 64 bytes and a loser's 128. The
      // winner moved the tail; the live sender then writes two records of 32 bytes after its space,
      // which end where the loser's claim ends: both claims agree with the ring, the shorter won.
      try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
          Mapping mapping = file.map()) {
        forgeSlot(mapping, 7, contested, 64);
        forgeSlot(mapping, 8, contested, 128);
        mapping.putLong(ChannelLayout.TAIL_OFFSET, contested + 64);
      }
      sender.offer(MemorySegment.ofArray(new long[] {2}));
      sender.offer(MemorySegment.ofArray(new long[] {3}));
      assertThat(receiveLongs(receiver, 3)).containsExactly(1L, 2L, 3L);
      assertThat(receiver.skippedClaims()).isEqualTo(1);
    }
  }

  @Test
  void shouldSkipOnceWhenDeadSlotsAgreeOnTheEndOfTheReservation() throws Exception {
    Path path = directory.resolve("channel");
    try (ChannelReceiver receiver = ManyToOneChannel.openReceiver(path, OPTIONS);
        ChannelSender sender = ManyToOneChannel.openSender(path, OPTIONS)) {
      sender.offer(MemorySegment.ofArray(new long[] {1}));
      long contested = headerLong(path, ChannelLayout.TAIL_OFFSET);
      try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
          Mapping mapping = file.map()) {
        forgeSlot(mapping, 7, contested, 64);
        forgeSlot(mapping, 8, contested, 64);
        mapping.putLong(ChannelLayout.TAIL_OFFSET, contested + 64);
      }
      sender.offer(MemorySegment.ofArray(new long[] {2}));
      assertThat(receiveLongs(receiver, 2)).containsExactly(1L, 2L);
      assertThat(receiver.skippedClaims()).isEqualTo(1);
    }
  }

  @Test
  void shouldFailWhenNoDeadSlotCoveringThePositionAgreesWithTheRing() throws Exception {
    Path path = directory.resolve("channel");
    try (ChannelReceiver receiver = ManyToOneChannel.openReceiver(path, OPTIONS)) {
      long contested = headerLong(path, ChannelLayout.TAIL_OFFSET);
      // Neither claimed end lies on a record boundary the rest of the ring shows.
      try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
          Mapping mapping = file.map()) {
        forgeSlot(mapping, 7, contested, 64);
        forgeSlot(mapping, 8, contested, 128);
        mapping.putLong(ChannelLayout.TAIL_OFFSET, contested + 256);
      }
      assertThatThrownBy(
              () -> {
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline) {
                  receiver.receive(m -> {}, 1, Duration.ofMillis(50));
                }
              })
          .isInstanceOf(CorruptException.class)
          .hasMessageContaining("cannot tell which dead producer reserved the consumer position")
          .hasMessageContaining("ends=[" + (contested + 64) + ", " + (contested + 128) + "]");
    }
  }

  private static void forgeSlot(Mapping mapping, int slot, long position, long length) {
    long offset = ChannelLayout.slotOffset(slot);
    mapping.putLong(offset + ChannelLayout.SLOT_CLAIM_POSITION, position);
    mapping.putLong(offset + ChannelLayout.SLOT_CLAIM_LENGTH, length);
    mapping.putLong(offset + ChannelLayout.SLOT_TOKEN, DEAD_TOKEN + slot);
  }

  private static ChannelReceiver openReceiver(Path path, String kind) {
    return kind.equals("many")
        ? ManyToOneChannel.openReceiver(path, OPTIONS)
        : OneToOneChannel.openReceiver(path, OPTIONS);
  }

  /** Starts a producer that sends {@code count} numbered messages, then parks; see its class. */
  private static ChildJvm parked(
      Path path, String kind, int count, int length, String step, int reservation) {
    return ChildJvm.start(
        ParkedProducer.class,
        path.toString(),
        kind,
        Integer.toString(count),
        Integer.toString(length),
        step,
        Integer.toString(reservation));
  }

  /** Waits for a parked producer to report its step and returns the reservation's position. */
  private static long parkedAt(ChildJvm producer, String step) throws InterruptedException {
    String line = producer.awaitLine("PARKED " + step + " ", Duration.ofSeconds(60));
    return Long.parseLong(line.substring(("PARKED " + step + " ").length()));
  }

  private static long headerLong(Path path, long offset) {
    try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY);
        Mapping mapping = file.map(0, ChannelLayout.HEADER_LENGTH)) {
      return mapping.atomics().getLongAcquire(offset);
    }
  }

  @Test
  void shouldDeliverEverythingCommittedBeforeProducersAreKilledAtRandom() throws Exception {
    Path path = directory.resolve("channel");
    Path counters = directory.resolve("counters");
    MappedFile.create(counters, 4096).close();
    Random random = new Random();
    long seed = random.nextLong();
    random.setSeed(seed);
    Map<Long, Long> next = new HashMap<>();
    try (ChannelReceiver receiver = ManyToOneChannel.openReceiver(path, OPTIONS)) {
      MessageHandler check =
          message -> {
            long id = message.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            long sequence = message.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
            long expected = next.getOrDefault(id, 0L);
            assertThat(sequence).as("producer %d, seed %d", id, seed).isEqualTo(expected);
            next.put(id, expected + 1);
          };
      List<ChildJvm> producers = new ArrayList<>();
      try {
        killAtRandom(receiver, check, producers, path, counters, random);
      } finally {
        producers.forEach(ChildJvm::close);
      }
      try (MappedFile file = MappedFile.open(counters, dev.mmkit.core.MapMode.READ_ONLY);
          Mapping committed = file.map(0, 4096)) {
        for (long id = 0; id < 3; id++) {
          long acknowledged = committed.getLong(8 * id);
          assertThat(next.getOrDefault(id, 0L))
              .as("producer %d, seed %d", id, seed)
              .isBetween(acknowledged, acknowledged + 1);
          assertThat(acknowledged).isPositive();
        }
      }
      assertThat(receiver.liveProducers()).isZero();
    }
  }

  private static void killAtRandom(
      ChannelReceiver receiver,
      MessageHandler check,
      List<ChildJvm> producers,
      Path path,
      Path counters,
      Random random)
      throws InterruptedException {
    for (int id = 0; id < 3; id++) {
      producers.add(
          ChildJvm.start(
              ChannelPeer.class, "send-forever", path.toString(), "" + id, counters.toString()));
    }
    // Each producer prints STARTED after its first commit; keep draining meanwhile.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!producers.stream()
        .allMatch(p -> p.output().stream().anyMatch(l -> l.startsWith("STARTED")))) {
      assertThat(System.nanoTime()).as("producers starting").isLessThan(deadline);
      receiver.receive(check, 256, Duration.ofMillis(10));
    }
    for (ChildJvm producer : producers) {
      long until = System.nanoTime() + Duration.ofMillis(100 + random.nextInt(400)).toNanos();
      while (System.nanoTime() < until) {
        receiver.receive(check, 256, Duration.ofMillis(10));
      }
      producer.kill();
    }
    while (receiver.receive(check, 256, Duration.ofMillis(500)) > 0) {
      // drain what the dead producers committed
    }
  }
}
