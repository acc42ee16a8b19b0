package dev.mmkit.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.CorruptException;
import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.TruncatedException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostileWriterTest {
  private static final long CAPACITY = 16 << 10;
  private static final ChannelOptions OPTIONS = ChannelOptions.defaults().withCapacity(CAPACITY);
  private static final long RING = ChannelLayout.HEADER_LENGTH;

  @TempDir Path directory;

  /** Creates a channel holding a few messages, then lets {@code scribble} write on its file. */
  static Path channel(Path directory, Consumer<Mapping> scribble) {
    Path path = directory.resolve("channel-" + System.nanoTime());
    try (ChannelSender sender = OneToOneChannel.openSender(path, OPTIONS)) {
      for (int i = 0; i < 5; i++) {
        sender.offer(new byte[100], 0, 100);
      }
    }
    try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
        Mapping mapping = file.map()) {
      scribble.accept(mapping);
    }
    return path;
  }

  private void assertOpenFails(Consumer<Mapping> scribble, String message) {
    Path path = channel(directory, scribble);
    assertThatThrownBy(() -> OneToOneChannel.openReceiver(path, OPTIONS))
        .isInstanceOf(CorruptException.class)
        .hasMessageContaining(message)
        .hasMessageContaining("file=" + path);
    assertThatThrownBy(() -> OneToOneChannel.openSender(path, OPTIONS))
        .isInstanceOf(CorruptException.class);
  }

  private void assertPollFails(Consumer<Mapping> scribble, String message) {
    Path path = channel(directory, scribble);
    try (ChannelReceiver receiver = OneToOneChannel.openReceiver(path, OPTIONS)) {
      assertThatThrownBy(
              () -> {
                while (receiver.poll(m -> {}, 100) > 0) {
                  // read up to the bad record
                }
              })
          .isInstanceOf(CorruptException.class)
          .hasMessageContaining(message);
    }
  }

  @Test
  void shouldRejectAFileThatIsNotAChannel() {
    assertOpenFails(m -> m.putLong(ChannelLayout.MAGIC_OFFSET, 42), "bad magic");
  }

  @Test
  void shouldRejectAnotherVersion() {
    assertOpenFails(m -> m.putInt(ChannelLayout.VERSION_OFFSET, 99), "unsupported channel version");
  }

  @Test
  void shouldRejectAHeaderWhoseChecksumDoesNotMatch() {
    assertOpenFails(m -> m.putLong(ChannelLayout.CAPACITY_OFFSET, 1L << 40), "checksum mismatch");
  }

  @Test
  void shouldRejectSizesThatDisagreeWithTheFile() throws Exception {
    Path path = channel(directory, m -> {});
    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
      file.setLength(Files.size(path) + 4096);
    }
    assertThatThrownBy(() -> OneToOneChannel.openReceiver(path, OPTIONS))
        .isInstanceOf(CorruptException.class)
        .hasMessageContaining("bad channel sizes");
  }

  @Test
  void shouldRejectPositionsOutsideTheRing() {
    assertOpenFails(m -> m.putLong(ChannelLayout.HEAD_OFFSET, 1L << 50), "bad channel positions");
    assertOpenFails(m -> m.putLong(ChannelLayout.HEAD_OFFSET, 7), "bad channel positions");
    assertOpenFails(m -> m.putLong(ChannelLayout.CLEAN_OFFSET, 1L << 50), "bad channel positions");
  }

  @Test
  void shouldRejectAConsumerPositionPastTheProducer() {
    Path path = channel(directory, m -> {});
    try (ChannelSender sender = OneToOneChannel.openSender(path, OPTIONS)) {
      try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
          Mapping mapping = file.map()) {
        mapping.putLong(ChannelLayout.CLEAN_OFFSET, 1L << 40);
      }
      assertThatThrownBy(
              () -> {
                while (true) {
                  sender.offer(new byte[1000], 0, 1000);
                }
              })
          .isInstanceOf(CorruptException.class)
          .hasMessageContaining("consumer position");
    }
  }

  @Test
  void shouldRejectRecordLengthsOutsideTheRing() {
    assertPollFails(m -> m.putInt(RING + 128, Integer.MAX_VALUE), "record length out of bounds");
    assertPollFails(m -> m.putInt(RING + 128, 15), "record length out of bounds");
    assertPollFails(m -> m.putInt(RING + 128, Integer.MIN_VALUE), "record length out of bounds");
    assertPollFails(
        m -> m.putInt(RING + 128, (int) CAPACITY / 8 + 1), "record length out of bounds");
  }

  @Test
  void shouldRejectARecordThatCrossesTheEndOfTheRing() {
    assertPollFails(
        m -> {
          m.putLong(ChannelLayout.HEAD_OFFSET, CAPACITY - 16);
          m.putLong(ChannelLayout.TAIL_OFFSET, CAPACITY + 64);
          m.putInt(RING + CAPACITY - 16, 64);
          m.putInt(RING + CAPACITY - 12, ChannelLayout.TYPE_MESSAGE);
        },
        "record length out of bounds");
  }

  @Test
  void shouldNeverDeliverARecordForgedPastThePublishedTail() {
    // Five records of 128 bytes: the published tail is 640. A well-formed committed record right
    // after it was not written by any producer, which always moves the tail first.
    Path path = channel(directory, m -> forgeMessage(m, 640, 48));
    assertNothingDeliveredPastTheTail(path);
  }

  @Test
  void shouldNeverDeliverARecordThatRunsPastThePublishedTail() {
    Path path = channel(directory, m -> m.putInt(RING + 512, 200));
    assertNothingDeliveredPastTheTail(path);
  }

  private void assertNothingDeliveredPastTheTail(Path path) {
    List<Long> ends = new ArrayList<>();
    try (ChannelReceiver receiver = OneToOneChannel.openReceiver(path, OPTIONS)) {
      MessageHandler where = recordEnds(ends);
      assertThatThrownBy(
              () -> {
                while (receiver.poll(where, 100) > 0) {
                  // read up to the forged record
                }
              })
          .isInstanceOf(CorruptException.class)
          .hasMessageContaining("past the published tail")
          .hasMessageContaining("tail=640");
      assertThat(receiver.hasMessage()).isFalse();
    }
    assertThat(ends).hasSizeLessThanOrEqualTo(5).allMatch(end -> end <= 640);
    assertThat(headerLong(path, ChannelLayout.HEAD_OFFSET)).isLessThanOrEqualTo(640);
  }

  @Test
  void shouldNeverDeliverABroadcastRecordThatRunsPastThePublishedTail() {
    Path path = directory.resolve("broadcast");
    try (BroadcastReceiver receiver = OneToManyBroadcast.openReceiver(path, OPTIONS);
        BroadcastSender sender = OneToManyBroadcast.openSender(path, OPTIONS)) {
      for (int i = 0; i < 3; i++) {
        sender.transmit(new byte[100], 0, 100);
      }
      try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
          Mapping mapping = file.map()) {
        forgeMessage(mapping, 384, 48);
        mapping.putInt(RING + 256, 200);
      }
      List<Long> sizes = new ArrayList<>();
      assertThatThrownBy(
              () -> {
                while (receiver.poll(m -> sizes.add(m.byteSize()), 10) > 0) {
                  // read up to the forged record
                }
              })
          .isInstanceOf(CorruptException.class)
          .hasMessageContaining("bad broadcast record")
          .hasMessageContaining("tail=384");
      assertThat(sizes).containsExactly(100L, 100L);
    }
  }

  /**
   * Writes a well-formed committed message record of {@code length} bytes at ring offset {@code
   * at}.
   */
  private static void forgeMessage(Mapping mapping, long at, int length) {
    mapping.putInt(RING + at + ChannelLayout.RECORD_TYPE, ChannelLayout.TYPE_MESSAGE);
    mapping.putLong(RING + at + ChannelLayout.RECORD_TOKEN, ProducerCrashTest.DEAD_TOKEN);
    mapping.putInt(RING + at + ChannelLayout.RECORD_LENGTH, length);
  }

  /**
   * Returns a handler that records, for each message handed over in place, where its record ends in
   * the ring (the channels in these tests never wrap, so that is its position).
   */
  private static MessageHandler recordEnds(List<Long> ends) {
    return new MessageHandler() {
      @Override
      public void onMessage(MemorySegment message) {
        throw new AssertionError("the three-argument method is called");
      }

      @Override
      public void onMessage(MemorySegment buffer, long offset, long length) {
        if (buffer.isNative()) {
          long start = offset - ChannelLayout.RECORD_HEADER_LENGTH;
          ends.add(start + ChannelLayout.align((int) length + ChannelLayout.RECORD_HEADER_LENGTH));
        }
      }
    };
  }

  private static long headerLong(Path path, long offset) {
    try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY);
        Mapping mapping = file.map(0, ChannelLayout.HEADER_LENGTH)) {
      return mapping.atomics().getLongAcquire(offset);
    }
  }

  @Test
  void shouldRejectUnknownRecordTypes() {
    assertPollFails(m -> m.putInt(RING + 128 + 4, 77), "unknown record type");
  }

  @Test
  void shouldRejectFragmentsAnnouncingTooLongAMessage() {
    assertPollFails(
        m -> {
          m.putInt(RING + 4, ChannelLayout.TYPE_FIRST);
          m.putInt(RING + 16, Integer.MAX_VALUE);
        },
        "fragmented message length out of bounds");
    assertPollFails(
        m -> {
          m.putInt(RING + 4, ChannelLayout.TYPE_FIRST);
          m.putInt(RING + 16, 150);
          m.putInt(RING + 128 + 4, ChannelLayout.TYPE_LAST);
        },
        "fragments longer than their message");
  }

  @Test
  void shouldRejectABroadcastFragmentAnnouncingTooLongAMessage() {
    Path path = directory.resolve("broadcast");
    try (BroadcastReceiver receiver = OneToManyBroadcast.openReceiver(path, OPTIONS);
        BroadcastSender sender = OneToManyBroadcast.openSender(path, OPTIONS)) {
      sender.transmit(new byte[5000], 0, 5000);
      try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
          Mapping mapping = file.map()) {
        assertThat(mapping.getInt(RING + 4)).isEqualTo(ChannelLayout.TYPE_FIRST);
        assertThat(mapping.getInt(RING + 16)).isEqualTo(5000);
        mapping.putInt(RING + 16, Integer.MAX_VALUE);
      }
      assertThatThrownBy(() -> receiver.poll(m -> {}, 10))
          .isInstanceOf(CorruptException.class)
          .hasMessageContaining("bad broadcast record")
          .hasMessageContaining("fragmented message length out of bounds");
    }
  }

  @Test
  void shouldReportAFileTruncatedUnderTheReceiver() throws Exception {
    Path path = channel(directory, m -> {});
    try (ChannelReceiver receiver = OneToOneChannel.openReceiver(path, OPTIONS)) {
      try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
        file.setLength(ChannelLayout.HEADER_LENGTH);
      }
      assertThatThrownBy(() -> receiver.poll(m -> {}, 100)).isInstanceOf(TruncatedException.class);
    }
  }

  @Test
  void shouldReportAFileTruncatedUnderABusySpinningReceiver() {
    Path path = channel(directory, m -> {});
    ChannelOptions spinning = OPTIONS.withWaitStrategy(WaitStrategy.busySpin());
    try (ChannelReceiver receiver = OneToOneChannel.openReceiver(path, spinning)) {
      assertThat(receiver.poll(m -> {}, 100)).isEqualTo(5);
      Thread truncator =
          Thread.ofPlatform()
              .start(
                  () -> {
                    OneToOneChannelTest.sleep(200);
                    try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
                      file.setLength(ChannelLayout.HEADER_LENGTH);
                    } catch (IOException e) {
                      throw new UncheckedIOException(e);
                    }
                  });
      try {
        assertThatThrownBy(() -> receiver.receive(m -> {}, 1, Duration.ofSeconds(30)))
            .isInstanceOf(TruncatedException.class);
      } finally {
        OneToOneChannelTest.join(truncator);
      }
    }
  }

  /**
   * Scribbles random bytes on a ring holding five records (tail 640), sometimes also moving the
   * tail ({@code change} 1) or forging a well-formed record at a random place ({@code change} 2) or
   * right at the tail ({@code change} 3). Whatever was written, polling either fails with {@link
   * CorruptException} or hands out records that end at or before the published tail, and the
   * consumer position never passes it.
   */
  @Property(tries = 150)
  void shouldNeverReadPastThePublishedTailWhateverIsScribbledOnTheRing(
      @ForAll @IntRange(min = 0, max = 16 << 10) int offset,
      @ForAll byte[] bytes,
      @ForAll @IntRange(min = 0, max = 3) int change)
      throws Exception {
    Path directory = Files.createTempDirectory("mmkit-hostile");
    try {
      Path path =
          channel(
              directory,
              m -> {
                int length = (int) Math.min(bytes.length, CAPACITY - offset);
                m.write(RING + offset, bytes, 0, length);
                switch (change) {
                  case 1 -> m.putLong(ChannelLayout.TAIL_OFFSET, offset * 16L);
                  case 2 -> forgeMessage(m, Math.min(offset & -16, CAPACITY - 64), 48);
                  case 3 -> forgeMessage(m, 640, 48);
                  default -> {}
                }
              });
      long tail = headerLong(path, ChannelLayout.TAIL_OFFSET);
      List<Long> ends = new ArrayList<>();
      try (ChannelReceiver receiver = OneToOneChannel.openReceiver(path, OPTIONS)) {
        MessageHandler where = recordEnds(ends);
        for (int i = 0; i < 50; i++) {
          receiver.poll(where, 10);
        }
      } catch (CorruptException expected) {
        assertThat(expected).hasMessageContaining("file=" + path);
      }
      assertThat(ends).as("record ends, tail=%d", tail).allMatch(end -> end <= tail);
      assertThat(headerLong(path, ChannelLayout.HEAD_OFFSET)).isLessThanOrEqualTo(tail);
    } finally {
      deleteTree(directory);
    }
  }

  /**
   * Scribbles random bytes on a broadcast ring holding 100 messages, sometimes also forging a
   * well-formed record right at the tail. Polling either fails with {@link CorruptException} or
   * hands out no more than the published tail holds: each message took at least its length plus a
   * record header of the ring.
   */
  @Property(tries = 100)
  void shouldNeverReadPastThePublishedTailWhateverIsScribbledOnABroadcast(
      @ForAll @IntRange(min = 0, max = 16 << 10) int offset,
      @ForAll byte[] bytes,
      @ForAll boolean forge)
      throws Exception {
    Path directory = Files.createTempDirectory("mmkit-hostile");
    Path path = directory.resolve("broadcast");
    try (BroadcastReceiver receiver = OneToManyBroadcast.openReceiver(path, OPTIONS);
        BroadcastSender sender = OneToManyBroadcast.openSender(path, OPTIONS)) {
      for (int i = 0; i < 100; i++) {
        sender.transmit(new byte[i], 0, i);
      }
      long tail = headerLong(path, ChannelLayout.TAIL_OFFSET);
      try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
          Mapping mapping = file.map()) {
        mapping.write(RING + offset, bytes, 0, (int) Math.min(bytes.length, CAPACITY - offset));
        if (forge) {
          forgeMessage(mapping, tail, 48);
        }
      }
      long[] taken = new long[1];
      try {
        while (receiver.poll(m -> taken[0] += ChannelLayout.align((int) m.byteSize() + 16), 10)
            > 0) {
          // read what is there
        }
      } catch (CorruptException expected) {
        assertThat(expected).hasMessageContaining("bad broadcast record");
      }
      assertThat(taken[0]).isLessThanOrEqualTo(tail);
      assertThat(receiver.laps()).isZero();
    } finally {
      deleteTree(directory);
    }
  }

  private static void deleteTree(Path directory) throws IOException {
    try (var files = Files.walk(directory)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
