package dev.mmkit.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManyToOneChannelTest {
  private static final ChannelOptions OPTIONS = ChannelOptions.defaults().withCapacity(64 << 10);
  private static final int PRODUCERS = 4;
  private static final int MESSAGES = 20_000;

  @TempDir Path directory;

  @Test
  void shouldKeepEveryProducersOrderWhileTheyInterleave() {
    Path path = directory.resolve("channel");
    long[] next = new long[PRODUCERS];
    long[] bigMessages = new long[1];
    try (ChannelReceiver receiver = ManyToOneChannel.openReceiver(path, OPTIONS)) {
      List<Thread> producers = new ArrayList<>();
      for (int id = 0; id < PRODUCERS; id++) {
        int producer = id;
        producers.add(Thread.ofPlatform().start(() -> produce(path, producer)));
      }
      MessageHandler check =
          message -> {
            int id = (int) message.get(ValueLayout.JAVA_LONG_UNALIGNED, 0);
            long sequence = message.get(ValueLayout.JAVA_LONG_UNALIGNED, 8);
            assertThat(sequence).as("producer %d", id).isEqualTo(next[id]);
            next[id]++;
            if (message.byteSize() > 20_000) {
              bigMessages[0]++;
            }
          };
      long total = 0;
      while (total < (long) PRODUCERS * MESSAGES) {
        total += receiver.receive(check, 64, Duration.ofSeconds(30));
      }
      producers.forEach(OneToOneChannelTest::join);
      assertThat(receiver.poll(check, 10)).isZero();
      assertThat(receiver.skippedClaims()).isZero();
      assertThat(receiver.droppedMessages()).isZero();
    }
    assertThat(next).containsOnly(MESSAGES);
    assertThat(bigMessages[0]).isEqualTo((long) PRODUCERS * (MESSAGES / 1000));
  }

  private static void produce(Path path, int id) {
    try (ChannelSender sender = ManyToOneChannel.openSender(path, OPTIONS)) {
      for (long i = 0; i < MESSAGES; i++) {
        int length = i % 1000 == 999 ? 30_000 : 16 + (int) (i % 50);
        MemorySegment message = MemorySegment.ofArray(new byte[length]);
        message.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, id);
        message.set(ValueLayout.JAVA_LONG_UNALIGNED, 8, i);
        if (i % 3 == 0 && length <= sender.maxRecordPayload()) {
          long offset;
          while ((offset = sender.tryClaim(length)) == ChannelSender.FULL) {
            Thread.onSpinWait();
          }
          MemorySegment.copy(message, 0, sender.buffer(), offset, length);
          sender.commit(offset);
        } else if (i % 3 == 1) {
          while (!sender.offer(message)) {
            Thread.yield();
          }
        } else {
          sender.send(message, Duration.ofSeconds(30));
        }
      }
    }
  }
}
