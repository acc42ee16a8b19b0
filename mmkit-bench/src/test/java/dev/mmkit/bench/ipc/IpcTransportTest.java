package dev.mmkit.bench.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Checks every transport against a real peer process: messages come back intact. */
class IpcTransportTest {
  static final java.util.List<String> TRANSPORTS = IpcTransports.NAMES;

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
        reply.clear();
        link.transport().receive(reply);
        assertThat(reply.flip()).isEqualTo(message.flip());
      }
      assertThat(link.peer().isAlive()).isTrue();
    }
  }

  @Test
  void shouldRejectUnknownTransport() {
    assertThatThrownBy(() -> IpcTransports.connect("pigeon", "echo", 32))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transport=pigeon");
  }
}
