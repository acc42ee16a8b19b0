package dev.mmkit.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.MmkitException;
import dev.mmkit.core.TimedOutException;
import dev.mmkit.core.testing.ChildJvm;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConsumerCrashTest {
  private static final ChannelOptions OPTIONS = ChannelOptions.defaults().withCapacity(64 << 10);

  @TempDir Path directory;

  @Test
  void shouldTellProducersThatTheConsumerDiedAndLetANewOneContinue() throws Exception {
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, OPTIONS)) {
      for (long i = 0; i < 10; i++) {
        sender.offer(MemorySegment.ofArray(new long[] {i}));
      }
      assertThat(sender.consumerState()).isEqualTo(ConsumerState.NONE);
      try (ChildJvm consumer =
          ChildJvm.start(ChannelPeer.class, "consume-some", path.toString(), "4")) {
        consumer.awaitLine("CONSUMED", Duration.ofSeconds(60));
        assertThat(sender.consumerState()).isEqualTo(ConsumerState.ATTACHED);
        assertThatThrownBy(() -> OneToOneChannel.openReceiver(path, OPTIONS))
            .isInstanceOf(MmkitException.class)
            .hasMessageContaining("already has a consumer");
        consumer.kill();
      }
      assertThat(sender.consumerState()).isEqualTo(ConsumerState.DEAD);
      MemorySegment filler = MemorySegment.ofArray(new byte[4000]);
      assertThatThrownBy(
              () -> {
                while (true) {
                  sender.offer(filler);
                }
              })
          .isInstanceOf(NoConsumerException.class)
          .hasMessageContaining("consumer died");
      assertThatThrownBy(() -> sender.send(filler, Duration.ofSeconds(30)))
          .isInstanceOf(NoConsumerException.class);

      try (ChannelReceiver replacement = OneToOneChannel.openReceiver(path, OPTIONS)) {
        assertThat(sender.consumerState()).isEqualTo(ConsumerState.ATTACHED);
        List<Long> values = ProducerCrashTest.receiveLongs(replacement, 6);
        assertThat(values).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(replacement.poll(m -> {}, 100)).isPositive();
        sender.send(filler, Duration.ofSeconds(5));
      }
    }
  }

  @Test
  void shouldNotCountAConsumerThatClosedCleanlyAsDead() throws Exception {
    Path path = directory.resolve("channel");
    ChannelOptions options = OPTIONS.withLivenessInterval(Duration.ofMillis(20));
    try (ChannelSender sender = OneToOneChannel.openSender(path, options)) {
      for (long i = 0; i < 10; i++) {
        sender.offer(MemorySegment.ofArray(new long[] {i}));
      }
      try (ChildJvm consumer =
          ChildJvm.start(ChannelPeer.class, "consume-and-close", path.toString(), "4")) {
        consumer.awaitLine("CLOSED", Duration.ofSeconds(60));
        assertThat(consumer.awaitExit(Duration.ofSeconds(30))).isZero();
      }
      // Its process is gone, but it closed first: producers see a closed consumer, not a dead one,
      // and a full ring is back-pressure, as with a slow consumer.
      assertThat(sender.consumerState()).isEqualTo(ConsumerState.CLOSED);
      assertThat(ChannelInfo.read(path).consumerState()).isEqualTo(ConsumerState.CLOSED);
      MemorySegment filler = MemorySegment.ofArray(new byte[4000]);
      while (sender.offer(filler)) {
        // fill the ring
      }
      long deadline = System.nanoTime() + Duration.ofMillis(200).toNanos();
      while (System.nanoTime() < deadline) {
        assertThat(sender.offer(filler)).isFalse();
      }
      assertThatThrownBy(() -> sender.send(filler, Duration.ofMillis(100)))
          .isInstanceOf(TimedOutException.class);

      try (ChannelReceiver next = OneToOneChannel.openReceiver(path, options)) {
        assertThat(sender.consumerState()).isEqualTo(ConsumerState.ATTACHED);
        assertThat(ProducerCrashTest.receiveLongs(next, 6)).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
      }
      assertThat(sender.consumerState()).isEqualTo(ConsumerState.CLOSED);
    }
  }
}
