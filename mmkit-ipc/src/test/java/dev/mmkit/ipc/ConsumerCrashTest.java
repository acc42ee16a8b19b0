package dev.mmkit.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.MmkitException;
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
      try (ChildJvm consumer =
          ChildJvm.start(ChannelPeer.class, "consume-some", path.toString(), "4")) {
        consumer.awaitLine("CONSUMED", Duration.ofSeconds(60));
        assertThatThrownBy(() -> OneToOneChannel.openReceiver(path, OPTIONS))
            .isInstanceOf(MmkitException.class)
            .hasMessageContaining("already has a consumer");
        consumer.kill();
      }
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
        List<Long> values = ProducerCrashTest.receiveLongs(replacement, 6);
        assertThat(values).containsExactly(4L, 5L, 6L, 7L, 8L, 9L);
        assertThat(replacement.poll(m -> {}, 100)).isPositive();
        sender.send(filler, Duration.ofSeconds(5));
      }
    }
  }
}
