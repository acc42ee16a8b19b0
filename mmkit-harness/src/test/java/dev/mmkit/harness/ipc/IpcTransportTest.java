package dev.mmkit.harness.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Checks every transport against a real peer process (the contract of {@link IpcTransport}). */
class IpcTransportTest {
  static final List<TransportKind> ALL = TransportKind.availableKinds();
  static final List<TransportKind> CHANNELS =
      ALL.stream().filter(kind -> kind.role() == TransportKind.Role.CHANNEL).toList();

  /** The transports that carry a payload: all but the floor, a bare counter. */
  static final List<TransportKind> CARRIERS =
      ALL.stream().filter(kind -> kind != TransportKind.FLOOR).toList();

  @ParameterizedTest
  @FieldSource("CARRIERS")
  void shouldEchoMessagesThroughAPeerProcess(TransportKind kind) throws IOException {
    try (PeerProcess peer = PeerProcess.start(List.of(kind), List.of())) {
      assertEchoes(peer, kind, 4096, 100);
      assertThat(peer.process().isAlive()).isTrue();
    }
  }

  @ParameterizedTest
  @FieldSource("CHANNELS")
  void shouldDrainEveryMessageAndStayInStep(TransportKind kind) throws IOException {
    try (PeerProcess peer = PeerProcess.start(List.of(kind), List.of())) {
      BlockTimer timer = new BlockTimer(peer, 4096);
      assertThat(timer.oneWay(kind, 100, 5_000)).isPositive();
      assertThat(timer.oneWay(kind, 4096, 500)).isPositive();
      // Had the peer drained one message too few or too many, the next echo would come back
      // shifted (or never).
      assertEchoes(peer, kind, 100, 10);
    }
  }

  @Test
  void shouldServeSeveralLinksFromOnePeer() throws IOException {
    try (PeerProcess peer = PeerProcess.start(CARRIERS, List.of())) {
      for (int round = 0; round < 2; round++) {
        for (TransportKind kind : CARRIERS) {
          assertEchoes(peer, kind, 32, 50);
        }
      }
    }
  }

  @Test
  void shouldSeeABlockingReceiverSleepWhileIdle() throws IOException, InterruptedException {
    try (PeerProcess peer = PeerProcess.start(List.of(TransportKind.UDS), List.of())) {
      PeerProcess.IdleCost cost = peer.idle(TransportKind.UDS, Duration.ofMillis(300));
      assertThat(cost.nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(300).toNanos());
      assertThat(cost.threadCpuNanos()).isNotNegative().isLessThan(cost.nanos() / 5);
      assertEchoes(peer, TransportKind.UDS, 32, 5);
    }
  }

  @Test
  void shouldRefuseToDrainAReference() throws IOException {
    try (PeerProcess peer = PeerProcess.start(List.of(TransportKind.MAILBOX), List.of())) {
      assertThatThrownBy(() -> peer.drain(TransportKind.MAILBOX, 32, 10))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("transport=mailbox");
    }
  }

  @Test
  void shouldDeleteItsFilesWhenClosed() throws IOException {
    Path directory;
    try (PeerProcess peer = PeerProcess.start(ALL, List.of())) {
      directory = peer.directory();
      for (TransportKind kind : ALL) {
        assertThat(directory.resolve(kind.label())).isDirectory();
      }
    }
    assertThat(directory).doesNotExist();
  }

  @Test
  void shouldDeleteItsFilesWhenThePeerFailsToStart() throws IOException {
    List<Path> before = linkDirectories();
    // The peer JVM is started under "false", which exits at once.
    assertThatThrownBy(() -> PeerProcess.start(ALL, List.of("false")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("peer exited");
    assertThat(linkDirectories()).isSubsetOf(before);
  }

  @Test
  void shouldRejectATransportTwice() {
    assertThatThrownBy(
            () -> PeerProcess.start(List.of(TransportKind.UDS, TransportKind.UDS), List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transports=uds, uds");
  }

  @Test
  void shouldCarryMessagesBothWaysThroughAMailbox(@TempDir Path directory) throws IOException {
    Duration patience = Duration.ofSeconds(5);
    try (MailboxTransport first = MailboxTransport.link(directory, true, patience);
        MailboxTransport second = MailboxTransport.link(directory, false, patience)) {
      ByteBuffer message = ByteBuffer.allocateDirect(100);
      ByteBuffer received = ByteBuffer.allocateDirect(100);
      for (int round = 0; round < 3; round++) {
        for (MailboxTransport[] pair :
            new MailboxTransport[][] {{first, second}, {second, first}}) {
          message.clear();
          for (int i = 0; i < 100; i++) {
            message.put(i, (byte) (i + round));
          }
          pair[0].send(message);
          received.clear();
          pair[1].receive(received);
          assertThat(received.flip()).isEqualTo(message.flip());
        }
      }
    }
  }

  @Test
  void shouldGiveUpWaitingAfterItsPatience(@TempDir Path directory) throws IOException {
    try (MailboxTransport lonely = MailboxTransport.link(directory, true, Duration.ofMillis(200))) {
      long start = System.nanoTime();
      assertThatThrownBy(() -> lonely.receive(ByteBuffer.allocateDirect(8)))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("transport=mailbox");
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(200_000_000L);
    }
  }

  /** Echoes {@code count} messages of {@code size} bytes, each different, and checks each. */
  static void assertEchoes(PeerProcess peer, TransportKind kind, int size, int count)
      throws IOException {
    peer.echo(kind, size, count);
    ByteBuffer message = ByteBuffer.allocateDirect(size);
    ByteBuffer reply = ByteBuffer.allocateDirect(size);
    for (int round = 0; round < count; round++) {
      message.clear();
      for (int i = 0; i < size; i++) {
        message.put(i, (byte) (i * 31 + round));
      }
      peer.link(kind).send(message);
      assertThat(message.hasRemaining()).as("send consumes the message").isFalse();
      reply.clear();
      peer.link(kind).receive(reply);
      assertThat(reply.position()).as("bytes received in round %d", round).isEqualTo(size);
      assertThat(reply.flip()).as("%s round %d", kind.label(), round).isEqualTo(message.flip());
    }
  }

  private static List<Path> linkDirectories() throws IOException {
    Path shm = Path.of("/dev/shm");
    Path parent =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? shm
            : Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> paths = Files.list(parent)) {
      return paths
          .filter(path -> path.getFileName().toString().startsWith("mmkit-bench-ipc-"))
          .sorted()
          .toList();
    }
  }
}
