package dev.mmkit.harness.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CounterTransportTest {
  @TempDir Path directory;

  @Test
  void shouldBounceTheCounterBetweenTwoProcesses() throws IOException {
    try (PeerProcess peer = PeerProcess.start(List.of(TransportKind.FLOOR), List.of())) {
      new BlockTimer(peer, 8).roundTrips(TransportKind.FLOOR, 8, new long[1_000]);
      CounterTransport mine = (CounterTransport) peer.link(TransportKind.FLOOR);
      // Each round trip: this process bumps the counter to an odd value, the peer sees it and
      // bumps it to the next even one, which this process sees. 1,000 of them end at 2,000.
      assertThat(mine.value()).isEqualTo(2_000);
      assertThat(counterIn(peer.directory().resolve("floor"))).isEqualTo(2_000);
    }
  }

  @Test
  void shouldWaitUntilTheOtherSideHasBumpedTheCounter() throws IOException {
    Duration patience = Duration.ofMillis(200);
    try (CounterTransport first = CounterTransport.link(directory, patience);
        CounterTransport second = CounterTransport.link(directory, patience)) {
      ByteBuffer message = ByteBuffer.allocateDirect(8);
      for (int round = 1; round <= 3; round++) {
        first.send(message.clear());
        second.receive(message.clear());
        assertThat(message.hasRemaining()).isFalse();
        second.send(message.clear());
        first.receive(message.clear());
        assertThat(counterIn(directory)).isEqualTo(2L * round);
      }
      // Nobody bumped it since: a receive waits for its patience and gives up.
      assertThatThrownBy(() -> first.receive(message.clear()))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("transport=floor");
      assertThat(first.value()).isEqualTo(6);
    }
  }

  @Test
  void shouldCarryNoStreams() throws IOException {
    try (CounterTransport counter = CounterTransport.link(directory, Duration.ofSeconds(1))) {
      assertThatThrownBy(() -> counter.drain(ByteBuffer.allocate(8)))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("transport=floor");
    }
  }

  /** Reads the counter through a mapping of its own. */
  private static long counterIn(Path directory) throws IOException {
    try (FileChannel channel =
            FileChannel.open(directory.resolve("floor-counter"), StandardOpenOption.READ);
        Arena arena = Arena.ofConfined()) {
      MemorySegment file = channel.map(FileChannel.MapMode.READ_ONLY, 0, 8, arena);
      return file.get(ValueLayout.JAVA_LONG, 0);
    }
  }
}
