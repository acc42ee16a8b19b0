package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmkit.core.testing.ChildJvm;
import dev.mmkit.core.testing.KernelTask;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FutexTest {
  /** How long the child sleeps when nobody wakes it: far longer than the test waits for it. */
  private static final Duration CHILD_PATIENCE = Duration.ofMinutes(2);

  @TempDir Path dir;

  @Test
  void shouldWakeAWaiterAsleepInTheKernelInAnotherProcess() throws Exception {
    assumeTrue(Platform.isLive(Feature.FUTEX), "futex needs native access on Linux");
    Path path = dir.resolve("futex.shm");
    try (SharedMemory block = SharedMemory.create(path, 4096);
        ChildJvm waiter = ChildJvm.start(Waiter.class, path.toString())) {
      String[] line = waiter.awaitLine("waiting ", Duration.ofSeconds(60)).split(" ");
      KernelTask task = new KernelTask(waiter.pid(), Long.parseLong(line[1]));
      long word = Long.parseLong(line[2]);
      // The word never changes: only a wake-up can end the child's wait before its two minutes.
      // The child sleeps in slices; a wake that falls between two of them finds nobody, so wake
      // again once it sleeps again.
      long start = System.nanoTime();
      int woken = 0;
      for (int attempt = 0; attempt < 100 && woken == 0; attempt++) {
        task.awaitFutexSleep(word, Duration.ofSeconds(60));
        woken = Futex.wake(block.mapping(), 0, 1);
      }
      assertThat(woken).as("sleepers woken; %s", waiter.describe()).isEqualTo(1);
      assertThat(waiter.awaitLine("woken ", Duration.ofSeconds(30))).isEqualTo("woken true");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(CHILD_PATIENCE);
      assertThat(waiter.awaitExit(Duration.ofSeconds(30))).isZero();
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

  /**
   * Child: sleeps on word 0 while it holds 0, at most two minutes, and says whether it was woken.
   */
  public static final class Waiter {
    private Waiter() {}

    /** Argument: path of the shared block. */
    public static void main(String[] args) {
      try (SharedMemory block = SharedMemory.open(Path.of(args[0]))) {
        Mapping mapping = block.mapping();
        System.out.println(
            "waiting " + KernelTask.current().tid() + " " + mapping.segment().address());
        System.out.println("woken " + Futex.await(mapping, 0, 0, CHILD_PATIENCE));
      }
    }
  }
}
