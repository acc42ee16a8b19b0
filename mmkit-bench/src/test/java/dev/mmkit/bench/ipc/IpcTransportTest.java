package dev.mmkit.bench.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Checks every transport against a real peer process: messages come back intact. */
class IpcTransportTest {
  static final List<String> TRANSPORTS = IpcTransports.NAMES;

  @ParameterizedTest
  @FieldSource("TRANSPORTS")
  void shouldEchoMessagesThroughAPeerProcess(String name) throws IOException {
    try (IpcTransports.Link link = IpcTransports.connect(name, "echo", 4096)) {
      ByteBuffer message = ByteBuffer.allocateDirect(4096);
      ByteBuffer reply = ByteBuffer.allocateDirect(4096);
      for (int round = 0; round < 100; round++) {
        message.clear();
        for (int i = 0; i < 4096; i++) {
          message.put(i, (byte) (i * 31 + round));
        }
        link.transport().send(message);
        assertThat(message.hasRemaining()).as("send consumes the message").isFalse();
        reply.clear();
        link.transport().receive(reply);
        assertThat(reply.position()).as("bytes received in round %d", round).isEqualTo(4096);
        assertThat(reply.flip()).isEqualTo(message.flip());
      }
      assertThat(link.peer().isAlive()).isTrue();
    }
  }

  @Test
  void shouldRejectUnknownTransportWithoutLeavingFilesBehind() throws IOException {
    List<Path> before = linkDirectories();
    assertThatThrownBy(() -> IpcTransports.connect("pigeon", "echo", 32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transport=pigeon");
    assertThat(linkDirectories()).isEqualTo(before);
  }

  @Test
  void shouldCarryMessagesBothWaysThroughAMailbox(@TempDir Path directory) throws IOException {
    try (MailboxTransport first = MailboxTransport.create(directory);
        MailboxTransport second = MailboxTransport.open(directory)) {
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

  private static List<Path> linkDirectories() throws IOException {
    Path shm = Path.of("/dev/shm");
    Path parent = Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    try (Stream<Path> paths = Files.list(parent)) {
      return paths
          .filter(path -> path.getFileName().toString().startsWith("mmkit-bench-ipc-"))
          .sorted()
          .toList();
    }
  }
}
