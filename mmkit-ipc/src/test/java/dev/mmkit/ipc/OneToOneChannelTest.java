package dev.mmkit.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.MmkitException;
import dev.mmkit.core.TimedOutException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OneToOneChannelTest {
  private static final ChannelOptions SMALL = ChannelOptions.defaults().withCapacity(64 << 10);

  @TempDir Path directory;

  static byte[] bytes(int length, int seed) {
    byte[] bytes = new byte[length];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  static List<byte[]> drain(ChannelReceiver receiver) {
    List<byte[]> received = new ArrayList<>();
    while (receiver.poll(m -> received.add(m.toArray(ValueLayout.JAVA_BYTE)), 100) > 0) {
      // keep polling
    }
    return received;
  }

  @Test
  void shouldDeliverMessagesInOrder() {
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, SMALL)) {
      for (int i = 0; i < 100; i++) {
        assertThat(sender.offer(bytes(i, i), 0, i)).isTrue();
      }
      List<byte[]> received = drain(receiver);
      assertThat(received).hasSize(100);
      for (int i = 0; i < 100; i++) {
        assertThat(received.get(i)).isEqualTo(bytes(i, i));
      }
    }
  }

  @Test
  void shouldRejectOfferWhenFullAndAcceptAgainAfterPoll() {
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, SMALL)) {
      byte[] message = bytes(1000, 1);
      int sent = 0;
      while (sender.offer(message, 0, message.length)) {
        sent++;
      }
      assertThat(sent).isEqualTo((64 << 10) / 1024);
      assertThat(receiver.poll(m -> {}, 1)).isEqualTo(1);
      assertThat(sender.offer(message, 0, message.length)).isTrue();
      assertThat(drain(receiver)).hasSize(sent);
    }
  }

  @Test
  void shouldGiveBackConsumedRoomToAProducerThatFindsTheRingFull() {
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, SMALL)) {
      byte[] small = bytes(1000, 1);
      for (int i = 0; i < 10; i++) {
        sender.offer(small, 0, small.length);
      }
      assertThat(drain(receiver)).hasSize(10);
      // Needs nearly the whole ring at once, including the 10 KiB consumed but not yet zeroed.
      MemorySegment large = MemorySegment.ofArray(bytes(50_000, 2));
      assertThat(sender.offer(large)).isFalse();
      assertThat(receiver.poll(m -> {}, 10)).isZero();
      assertThat(sender.offer(large)).isTrue();
      assertThat(drain(receiver)).hasSize(1);
    }
  }

  @Test
  void shouldWrapAroundTheRingManyTimes() {
    Path path = directory.resolve("channel");
    Random random = new Random(7);
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, SMALL)) {
      List<byte[]> expected = new ArrayList<>();
      List<byte[]> received = new ArrayList<>();
      for (int i = 0; i < 20_000; i++) {
        byte[] message = bytes(random.nextInt(sender.maxRecordPayload() + 1), i);
        while (!sender.offer(message, 0, message.length)) {
          receiver.poll(m -> received.add(m.toArray(ValueLayout.JAVA_BYTE)), random.nextInt(5) + 1);
        }
        expected.add(message);
      }
      received.addAll(drain(receiver));
      assertThat(received).hasSize(expected.size());
      for (int i = 0; i < expected.size(); i++) {
        assertThat(received.get(i)).isEqualTo(expected.get(i));
      }
    }
  }

  @Test
  void shouldNotAllocateOnTheHotPath() {
    Path path = directory.resolve("channel");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, SMALL)) {
      MemorySegment message = MemorySegment.ofArray(new byte[32]);
      long[] sum = new long[1];
      MessageHandler inPlace =
          new MessageHandler() {
            @Override
            public void onMessage(MemorySegment m) {
              throw new AssertionError("the three-argument method is called");
            }

            @Override
            public void onMessage(MemorySegment buffer, long offset, long length) {
              sum[0] += buffer.get(ValueLayout.JAVA_BYTE, offset) + length;
            }
          };
      long perRound = 0;
      for (int round = 0; round < 10; round++) {
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 100_000; i++) {
          sender.offer(message);
          receiver.poll(inPlace, 10);
        }
        perRound = threads.getCurrentThreadAllocatedBytes() - before;
      }
      assertThat(sum[0]).isEqualTo(32L * 1_000_000);
      // Compiled, offer and poll allocate nothing; a slice per message would be ~4 MB a round.
      assertThat(perRound).isLessThan(100_000);
    }
  }

  @Test
  void shouldCommitAndAbortClaims() {
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, SMALL)) {
      long first = sender.tryClaim(8);
      sender.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, first, 42L);
      assertThat(receiver.poll(m -> {}, 10)).isZero();
      sender.commit(first);
      long second = sender.tryClaim(8);
      sender.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, second, 43L);
      sender.abort(second);
      long third = sender.tryClaim(8);
      sender.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, third, 44L);
      sender.commit(third);
      List<Long> values = new ArrayList<>();
      receiver.poll(m -> values.add(m.get(ValueLayout.JAVA_LONG_UNALIGNED, 0)), 10);
      assertThat(values).containsExactly(42L, 44L);
      assertThatThrownBy(() -> sender.commit(third)).isInstanceOf(IllegalStateException.class);
    }
  }

  @Test
  void shouldReassembleFragmentedMessages() {
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, SMALL)) {
      byte[] medium = bytes(30_000, 3);
      assertThat(sender.offer(medium, 0, medium.length)).isTrue();
      assertThat(drain(receiver)).containsExactly(medium);
      byte[] large = bytes(1 << 20, 4);
      List<byte[]> received = new ArrayList<>();
      Thread consumer =
          Thread.ofPlatform()
              .start(
                  () ->
                      receiver.receive(
                          m -> received.add(m.toArray(ValueLayout.JAVA_BYTE)),
                          1,
                          Duration.ofSeconds(30)));
      sender.send(MemorySegment.ofArray(large), Duration.ofSeconds(30));
      join(consumer);
      assertThat(received).containsExactly(large);
    }
  }

  @Test
  void shouldRejectMessagesLongerThanTheMaximum() {
    Path path = directory.resolve("channel");
    ChannelOptions options = SMALL.withMaxMessageLength(100_000);
    try (ChannelSender sender = OneToOneChannel.openSender(path, options)) {
      MemorySegment tooLong = MemorySegment.ofArray(new byte[100_001]);
      assertThatThrownBy(() -> sender.send(tooLong, Duration.ofSeconds(1)))
          .isInstanceOf(MessageTooLongException.class)
          .hasMessageContaining("maxMessageLength=100000");
      MemorySegment biggerThanRing = MemorySegment.ofArray(new byte[90_000]);
      assertThatThrownBy(() -> sender.offer(biggerThanRing))
          .isInstanceOf(MessageTooLongException.class)
          .hasMessageContaining("use send");
      assertThatThrownBy(() -> sender.tryClaim(sender.maxRecordPayload() + 1))
          .isInstanceOf(MessageTooLongException.class);
    }
  }

  @Test
  void shouldTimeOutSendOnFullRingAndReceiveOnEmptyOne() {
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, SMALL)) {
      assertThat(receiver.receive(m -> {}, 1, Duration.ofMillis(50))).isZero();
      byte[] message = bytes(4000, 1);
      while (sender.offer(message, 0, message.length)) {
        // fill it
      }
      assertThatThrownBy(() -> sender.send(MemorySegment.ofArray(message), Duration.ofMillis(50)))
          .isInstanceOf(TimedOutException.class)
          .hasMessageContaining("channel full");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"IllegalStateException", "IllegalArgumentException"})
  void shouldCountAMessageAsConsumedWhenTheHandlerThrows(String kind) {
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, SMALL)) {
      for (int i = 0; i < 3; i++) {
        sender.offer(bytes(40, i), 0, 40);
      }
      RuntimeException thrown =
          kind.equals("IllegalStateException")
              ? new IllegalStateException("handler failed")
              : new IllegalArgumentException("handler failed");
      List<byte[]> handled = new ArrayList<>();
      assertThatThrownBy(
              () ->
                  receiver.poll(
                      m -> {
                        handled.add(m.toArray(ValueLayout.JAVA_BYTE));
                        if (handled.size() == 2) {
                          throw thrown;
                        }
                      },
                      10))
          .isSameAs(thrown);
      assertThat(handled).containsExactly(bytes(40, 0), bytes(40, 1));
      assertThat(drain(receiver)).containsExactly(bytes(40, 2));
    }
  }

  @Test
  void shouldEndABusySpinningReceiveAtItsTimeoutOrWithTheMessageThatArrives() {
    Path path = directory.resolve("channel");
    ChannelOptions spinning = SMALL.withWaitStrategy(WaitStrategy.busySpin());
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, spinning)) {
      long start = System.nanoTime();
      assertThat(receiver.receive(m -> {}, 1, Duration.ofMillis(50))).isZero();
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
      byte[] message = bytes(300, 7);
      Thread producer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    sleep(100);
                    sender.offer(message, 0, message.length);
                  });
      List<byte[]> received = new ArrayList<>();
      int got =
          receiver.receive(
              m -> received.add(m.toArray(ValueLayout.JAVA_BYTE)), 10, Duration.ofSeconds(30));
      join(producer);
      assertThat(got).isOne();
      assertThat(received).containsExactly(message);
    }
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Test
  void shouldRefuseASecondLiveConsumerOrProducer() {
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, SMALL)) {
      assertThatThrownBy(() -> OneToOneChannel.openReceiver(path, SMALL))
          .isInstanceOf(MmkitException.class)
          .hasMessageContaining("already has a consumer");
      assertThatThrownBy(() -> OneToOneChannel.openSender(path, SMALL))
          .isInstanceOf(MmkitException.class)
          .hasMessageContaining("already has a producer");
      assertThat(receiver.liveProducers()).isEqualTo(1);
      assertThat(sender.path()).isEqualTo(path);
    }
  }

  @Test
  void shouldNotReinitialiseALiveChannelAndContinueFromTheUnreadPosition() {
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, SMALL)) {
      for (int i = 0; i < 10; i++) {
        sender.offer(bytes(10, i), 0, 10);
      }
      try (ChannelReceiver receiver = OneToOneChannel.openReceiver(path, SMALL)) {
        assertThat(receiver.poll(m -> {}, 4)).isEqualTo(4);
      }
      ChannelOptions other = ChannelOptions.defaults().withCapacity(1 << 20);
      try (ChannelReceiver receiver = OneToOneChannel.openReceiver(path, other)) {
        List<byte[]> rest = drain(receiver);
        assertThat(rest).hasSize(6);
        assertThat(rest.get(0)).isEqualTo(bytes(10, 4));
      }
    }
  }

  @Test
  void shouldCreateOwnerOnlyFilesUnderDevShmByDefault() throws Exception {
    Path path = OneToOneChannel.pathOf("mmkit-ipc-test-" + ProcessHandle.current().pid());
    try (ChannelSender sender = OneToOneChannel.openSender(path)) {
      assertThat(path.toString()).startsWith("/dev/shm/");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
          .isEqualTo("rw-------");
      assertThat(Files.size(path))
          .isEqualTo(ChannelLayout.HEADER_LENGTH + ChannelOptions.DEFAULT_CAPACITY);
      assertThat(sender.maxRecordPayload())
          .isEqualTo((int) (ChannelOptions.DEFAULT_CAPACITY / 8) - 16);
    } finally {
      Files.deleteIfExists(path);
    }
  }

  @Test
  void shouldRefuseAChannelOfAnotherKind() {
    Path path = directory.resolve("channel");
    ChannelSender sender = OneToOneChannel.openSender(path, SMALL);
    try {
      assertThatThrownBy(() -> ManyToOneChannel.openReceiver(path, SMALL))
          .isInstanceOf(dev.mmkit.core.CorruptException.class)
          .hasMessageContaining("wrong channel kind");
    } finally {
      sender.close();
    }
  }

  static void join(Thread thread) {
    try {
      thread.join(Duration.ofSeconds(60));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
    assertThat(thread.isAlive()).isFalse();
  }
}
