package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmkit.core.testing.ChildJvm;
import dev.mmkit.core.testing.Smaps;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class MemoryLockTest {

  @Test
  void shouldLockAndUnlockARange() {
    assumeTrue(Platform.isLive(Feature.MEMORY_LOCK), "mlock needs native access");
    try (Mapping mapping = Mapping.anonymous(1 << 20)) {
      assertThat(Smaps.kb(mapping.segment(), "Locked")).isZero();
      mapping.lock(0, 1 << 16);
      assertThat(mapping.residency(0, 1 << 16).residentPages())
          .isEqualTo((1 << 16) / Platform.pageSize());
      assertThat(Smaps.kb(mapping.segment(), "Locked")).isEqualTo(64);
      mapping.unlock(0, 1 << 16);
      assertThat(Smaps.kb(mapping.segment(), "Locked")).isZero();
    }
  }

  @Test
  void shouldExplainWhenTheLockedMemoryLimitRefuses() throws Exception {
    assumeTrue(Platform.isLive(Feature.MEMORY_LOCK), "mlock needs native access");
    assumeTrue(available("setpriv") && available("prlimit"), "needs setpriv and prlimit");
    String java = ProcessHandle.current().info().command().orElseThrow();
    // Drop CAP_IPC_LOCK (root ignores the limit otherwise) and allow 64 KiB of locked memory.
    List<String> wrapper =
        List.of(
            "setpriv",
            "--inh-caps=-ipc_lock",
            "--bounding-set=-ipc_lock",
            "prlimit",
            "--memlock=65536:65536",
            java);
    try (ChildJvm child = ChildJvm.startWrapped(wrapper, MemoryLockChild.class)) {
      String line = child.awaitLine("result ", Duration.ofSeconds(60));
      assertThat(line).startsWith("result FullException").contains("RLIMIT_MEMLOCK=65536 bytes");
      assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
    }
  }

  private static boolean available(String command) throws Exception {
    Process which = new ProcessBuilder("which", command).start();
    return which.waitFor(10, TimeUnit.SECONDS) && which.exitValue() == 0;
  }

  /** Child: tries to lock 1 MiB and prints what happened. */
  public static final class MemoryLockChild {
    private MemoryLockChild() {}

    /** Entry point. */
    public static void main(String[] args) {
      try (Mapping mapping = Mapping.anonymous(1 << 20)) {
        mapping.lock(0, 1 << 20);
        System.out.println("result locked");
      } catch (MmkitException e) {
        System.out.println("result " + e.getClass().getSimpleName() + " " + e.getMessage());
      }
    }
  }

  @Test
  void shouldRejectLockAndUnlockOfAClosedMapping() {
    Mapping mapping = Mapping.anonymous(4096);
    mapping.close();
    assertThatThrownBy(() -> mapping.lock(0, 4096)).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> mapping.unlock(0, 4096)).isInstanceOf(ClosedException.class);
  }
}
