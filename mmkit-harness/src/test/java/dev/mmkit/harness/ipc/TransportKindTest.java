package dev.mmkit.harness.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TransportKindTest {
  @Test
  void shouldFindEveryKindByItsOwnLabel() {
    for (TransportKind kind : TransportKind.values()) {
      assertThat(TransportKind.named(kind.label())).isSameAs(kind);
      assertThat(kind.description()).isNotBlank();
    }
    assertThat(Arrays.stream(TransportKind.values()).map(TransportKind::label).distinct())
        .hasSize(TransportKind.values().length);
  }

  @Test
  void shouldNameTheUnknownTransportAndTheKnownOnes() {
    assertThatThrownBy(() -> TransportKind.named("pigeon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transport=pigeon")
        .hasMessageContaining("mmkit-busy-spin, mmkit-blocking");
  }

  @Test
  void shouldOfferAgronaOnlyWhereAgronaIsOnTheClassPath() {
    // This module's tests have Agrona (an optional dependency); the mmkit command's do not.
    assertThat(TransportKind.AGRONA.available()).isTrue();
    assertThat(TransportKind.AGRONA.jvmArgs()).isNotEmpty();
    assertThat(TransportKind.availableKinds()).containsExactly(TransportKind.values());
    assertThat(TransportKind.UDS.jvmArgs()).isEmpty();
  }
}
