package dev.mmkit.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.MmkitException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongToIntFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OneToManyBroadcastTest {
  private static final ChannelOptions OPTIONS = ChannelOptions.defaults().withCapacity(16 << 10);

  /**
   * Messages that certainly take more than the 16 KiB ring: each takes at least a 32-byte record.
   */
  private static final long LAP_MESSAGES = (16 << 10) / 32 + 1;

  @TempDir Path directory;

  /** A message whose every byte after the sequence number is derived from it. */
  static MemorySegment message(long sequence, int length) {
    MemorySegment message = MemorySegment.ofArray(new byte[length]);
    message.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, sequence);
    for (int i = 8; i < length; i++) {
      message.set(ValueLayout.JAVA_BYTE, i, (byte) (sequence * 31 + i));
    }
    return message;
  }

  static long check(MemorySegment message) {
    long sequence = message.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
    for (int i = 8; i < message.byteSize(); i++) {
      if (message.get(ValueLayout.JAVA_BYTE, i) != (byte) (sequence * 31 + i)) {
        throw new AssertionError("torn message: sequence=" + sequence + ", byte=" + i);
      }
    }
    return sequence;
  }

  @Test
  void shouldDeliverEveryMessageToEveryReceiver() {
    Path path = directory.resolve("broadcast");
    try (BroadcastReceiver first = OneToManyBroadcast.openReceiver(path, OPTIONS);
        BroadcastReceiver second = OneToManyBroadcast.openReceiver(path, OPTIONS);
        BroadcastSender sender = OneToManyBroadcast.openSender(path, OPTIONS)) {
      List<Long> one = new ArrayList<>();
      List<Long> two = new ArrayList<>();
      for (long i = 0; i < 1000; i++) {
        sender.transmit(message(i, 8 + (int) (i % 100)));
        first.poll(m -> one.add(check(m)), 10);
        if (i % 10 == 9) {
          second.poll(m -> two.add(check(m)), 100);
        }
      }
      assertThat(one).hasSize(1000).isSorted();
      assertThat(two).isEqualTo(one);
      assertThat(first.lostMessages() + second.lostMessages()).isZero();
      assertThat(first.hasLiveTransmitter()).isTrue();
    }
  }

  @Test
  void shouldTellALappedReceiverHowManyMessagesItLost() {
    lapASlowReceiverAndCheck(2000, i -> 100);
  }

  @Test
  void shouldNeverHandOutTornMessagesWhileBeingLapped() throws Exception {
    transmitWhileReceivingAndCheck(300_000, i -> 16 + (int) (i % 1000));
  }

  @Test
  void shouldRefuseASecondTransmitterAndTooLongMessages() {
    Path path = directory.resolve("broadcast");
    try (BroadcastSender sender = OneToManyBroadcast.openSender(path, OPTIONS)) {
      assertThatThrownBy(() -> OneToManyBroadcast.openSender(path, OPTIONS))
          .isInstanceOf(MmkitException.class)
          .hasMessageContaining("already has a producer");
      assertThatThrownBy(() -> sender.transmit(new byte[8193], 0, 8193))
          .isInstanceOf(MessageTooLongException.class)
          .hasMessageContaining("maxMessageLength=8192");
      assertThat(sender.maxMessageLength()).isEqualTo((16 << 10) / 2);
    }
  }

  @Test
  void shouldReassembleFragmentedMessagesForEveryReceiver() {
    Path path = directory.resolve("broadcast");
    try (BroadcastReceiver first = OneToManyBroadcast.openReceiver(path, OPTIONS);
        BroadcastReceiver second = OneToManyBroadcast.openReceiver(path, OPTIONS);
        BroadcastSender sender = OneToManyBroadcast.openSender(path, OPTIONS)) {
      List<Long> one = new ArrayList<>();
      List<Long> two = new ArrayList<>();
      List<Long> lengths = new ArrayList<>();
      for (long i = 0; i < 200; i++) {
        // 8 bytes to the maximum of 8192, the last one; up to 2032 bytes go as one record
        int length = i == 199 ? 8192 : 8 + (int) (i * 997 % 8185);
        sender.transmit(message(i, length));
        first.poll(m -> one.add(check(m)), 10);
        second.poll(
            m -> {
              two.add(check(m));
              lengths.add(m.byteSize());
            },
            10);
      }
      assertThat(one).hasSize(200).isSorted();
      assertThat(two).isEqualTo(one);
      assertThat(lengths).contains(8192L).anyMatch(length -> length > 2032 && length < 8192);
      assertThat(first.lostMessages() + second.lostMessages()).isZero();
    }
  }

  @Test
  void shouldCountFragmentedMessagesALappedReceiverMissedAsLost() {
    lapASlowReceiverAndCheck(300, i -> i == 0 ? 5000 : 3000 + (int) (i % 3) * 1000);
  }

  /**
   * Lets a receiver read the first of {@code count} messages of {@code length(i)} bytes, transmits
   * the rest without it reading, then drains it: it must have been lapped, receive the last message
   * and count every message it did not receive as lost.
   */
  private void lapASlowReceiverAndCheck(int count, LongToIntFunction length) {
    Path path = directory.resolve("broadcast");
    try (BroadcastSender sender = OneToManyBroadcast.openSender(path, OPTIONS);
        BroadcastReceiver slow = OneToManyBroadcast.openReceiver(path, OPTIONS)) {
      List<Long> received = new ArrayList<>();
      sender.transmit(message(0, length.applyAsInt(0)));
      slow.poll(m -> received.add(check(m)), 1);
      for (long i = 1; i < count; i++) {
        sender.transmit(message(i, length.applyAsInt(i)));
      }
      while (slow.poll(m -> received.add(check(m)), 100) > 0) {
        // drain
      }
      assertThat(slow.laps()).isPositive();
      assertThat(received).isSorted().doesNotHaveDuplicates().endsWith(count - 1L);
      assertThat(received.size() + slow.lostMessages()).isEqualTo(count);
    }
  }

  @Test
  void shouldNeverHandOutTornFragmentedMessagesWhileBeingLapped() throws Exception {
    transmitWhileReceivingAndCheck(50_000, i -> 16 + (int) (i * 131 % 8000));
  }

  /**
   * Transmits {@code count} messages of {@code length(i)} bytes from another thread while this one
   * receives; checks that every message received is whole, in order, and that the ones not received
   * are exactly those counted as lost.
   */
  private void transmitWhileReceivingAndCheck(long count, LongToIntFunction length)
      throws Exception {
    Path path = directory.resolve("broadcast");
    AtomicBoolean done = new AtomicBoolean();
    AtomicLong sent = new AtomicLong();
    try (BroadcastReceiver receiver = OneToManyBroadcast.openReceiver(path, OPTIONS)) {
      Thread transmitter =
          Thread.ofPlatform()
              .start(
                  () -> {
                    try (BroadcastSender sender = OneToManyBroadcast.openSender(path, OPTIONS)) {
                      for (long i = 0; i < count; i++) {
                        sender.transmit(message(i, length.applyAsInt(i)));
                        sent.set(i + 1);
                      }
                    } finally {
                      done.set(true);
                    }
                  });
      List<Long> received = new ArrayList<>();
      long pauseAt = 0;
      while (!done.get()) {
        if (received.size() >= pauseAt) {
          // Stop reading until the transmitter has written more than a ring since: the receiver
          // must then find its position overwritten. Between such pauses it races the transmitter.
          long from = sent.get();
          while (!done.get() && sent.get() < from + LAP_MESSAGES) {
            Thread.onSpinWait();
          }
          pauseAt = received.size() + count / 20;
        }
        receiver.receive(m -> received.add(check(m)), 50, Duration.ofMillis(10));
      }
      while (receiver.poll(m -> received.add(check(m)), 1000) > 0) {
        // drain
      }
      OneToOneChannelTest.join(transmitter);
      assertThat(receiver.laps()).as("times the receiver was lapped").isPositive();
      assertThat(receiver.lostMessages()).isPositive();
      assertThat(received).isNotEmpty().isSorted().doesNotHaveDuplicates();
      assertThat(received.getLast()).isEqualTo(sent.get() - 1);
      assertThat(received.size() + receiver.lostMessages())
          .isEqualTo(sent.get() - received.getFirst());
    }
  }
}
