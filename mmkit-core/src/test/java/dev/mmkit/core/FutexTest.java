package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FutexTest {
  @TempDir Path dir;

  @Test
  void shouldWakeAWaiterInAnotherProcess() throws Exception {
    Path path = dir.resolve("futex.shm");
    try (SharedMemory block = SharedMemory.create(path, 4096);
        ChildJvm waiter = ChildJvm.start(Waiter.class, path.toString())) {
      waiter.awaitLine("waiting", Duration.ofSeconds(60));
      while (block.mapping().atomics().getIntAcquire(4) == 0) {
        Thread.onSpinWait();
      }
      Thread.sleep(100);
      block.mapping().atomics().setIntRelease(0, 1);
      int woken = Futex.wake(block.mapping(), 0, 1);
      String line = waiter.awaitLine("woken", Duration.ofSeconds(30));
      assertThat(line).isEqualTo("woken value=1");
      assertThat(waiter.awaitExit(Duration.ofSeconds(30))).isZero();
      if (Platform.isLive(Feature.FUTEX)) {
        assertThat(woken).isEqualTo(1);
      }
    }
  }

  @Test
  void shouldTimeOutAndReturnAtOnceWhenTheValueDiffers() {
    try (Mapping mapping = Mapping.anonymous(4096)) {
      long start = System.nanoTime();
      assertThat(Futex.await(mapping, 0, 0, Duration.ofMillis(50))).isFalse();
      assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(50_000_000L);
      mapping.atomics().setIntRelease(0, 3);
      assertThat(Futex.await(mapping, 0, 0, Duration.ofDays(1))).isTrue();
      assertThat(Futex.wake(mapping, 0, 1)).isZero();
    }
  }

  @Test
  void shouldRejectMisalignedWordsAndBadCounts() {
    try (Mapping mapping = Mapping.anonymous(4096)) {
      assertThatThrownBy(() -> Futex.wake(mapping, 2, 1))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Futex.wake(mapping, 0, 0))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  /** Child: sleeps on word 0 until it changes, with a one-minute safety timeout. */
  public static final class Waiter {
    private Waiter() {}

    /** Argument: path of the shared block. */
    public static void main(String[] args) {
      try (SharedMemory block = SharedMemory.open(Path.of(args[0]))) {
        Mapping mapping = block.mapping();
        System.out.println("waiting");
        mapping.atomics().setIntRelease(4, 1);
        long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
        while (mapping.atomics().getIntAcquire(0) == 0 && System.nanoTime() < deadline) {
          Futex.await(mapping, 0, 0, Duration.ofSeconds(10));
        }
        System.out.println("woken value=" + mapping.atomics().getIntAcquire(0));
      }
    }
  }
}
