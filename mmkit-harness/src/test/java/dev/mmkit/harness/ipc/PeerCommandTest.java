package dev.mmkit.harness.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PeerCommandTest {
  @Test
  void shouldReadBackEveryCommandItWrites() {
    for (PeerCommand.Verb verb : PeerCommand.Verb.values()) {
      for (TransportKind kind : TransportKind.values()) {
        PeerCommand command = new PeerCommand(verb, kind, 4096, PeerCommand.FOREVER);
        assertThat(PeerCommand.parse(command.line())).isEqualTo(command);
      }
    }
    assertThat(new PeerCommand(PeerCommand.Verb.ECHO, TransportKind.UDS, 32, 10).line())
        .isEqualTo("echo uds 32 10");
  }

  @Test
  void shouldRejectALineThatIsNoCommand() {
    assertThatThrownBy(() -> PeerCommand.parse("echo uds 32"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line=echo uds 32");
    assertThatThrownBy(() -> PeerCommand.parse("sing uds 32 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line=sing uds 32 1");
    assertThatThrownBy(() -> PeerCommand.parse("echo pigeon 32 1"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line=echo pigeon 32 1");
  }

  @Test
  void shouldReadBackTheCpuReport() {
    assertThat(PeerCommand.parseCpu(PeerCommand.cpuLine(123_456))).isEqualTo(123_456);
    assertThatThrownBy(() -> PeerCommand.parseCpu(null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerCommand.parseCpu(PeerCommand.GO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("line=go");
  }
}
