package dev.mmkit.harness;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PinningTest {
  @Test
  void shouldCountCpusOfALinuxCpuList() {
    assertThat(Pinning.countCpus("0")).isEqualTo(1);
    assertThat(Pinning.countCpus("0-1")).isEqualTo(2);
    assertThat(Pinning.countCpus("0-3,6,8-9")).isEqualTo(7);
  }

  @Test
  void shouldCallARunOnFewerCpusThanOnlinePinned() {
    assertThat(new Pinning(1, 2).pinned()).isTrue();
    assertThat(new Pinning(2, 2).pinned()).isFalse();
    assertThat(new Pinning(2, -1).pinned()).isFalse();
    assertThat(new Pinning(1, 2).describe()).startsWith("pinned");
    assertThat(new Pinning(2, 2).describe()).startsWith("not pinned");
  }
}
