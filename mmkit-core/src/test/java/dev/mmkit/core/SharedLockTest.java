package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedLockTest {
  @TempDir Path dir;

  @Test
  void shouldRecoverTheLockFromAHolderKilledWithSigkill() throws Exception {
    Path path = dir.resolve("lock.shm");
    try (SharedMemory block = SharedMemory.create(path, 4096)) {
      SharedLock lock = SharedLock.at(block.mapping(), 0);
      try (ChildJvm holder = ChildJvm.start(Holder.class, path.toString())) {
        String line = holder.awaitLine("locked ", Duration.ofSeconds(60));
        long holderToken = Long.parseLong(line.substring("locked ".length()));
        assertThat(lock.ownerToken()).isEqualTo(holderToken);
        assertThat(ProcessIdentity.pidOf(holderToken)).isEqualTo(holder.pid());
        assertThat(lock.tryAcquire()).isNull();
        assertThatThrownBy(() -> lock.acquire(Duration.ofMillis(50)))
            .isInstanceOf(TimedOutException.class)
            .hasMessageContaining("holderPid=" + holder.pid());
        holder.kill();
      }
      SharedLock.Guard guard = lock.acquire(Duration.ofSeconds(10));
      try {
        assertThat(guard.recovered()).isTrue();
        assertThat(lock.ownerToken()).isEqualTo(ProcessIdentity.current().token());
      } finally {
        guard.close();
      }
      assertThat(lock.recoveries()).isEqualTo(1);
      assertThat(lock.ownerToken()).isZero();
      SharedLock.Guard again = lock.acquire();
      assertThat(again.recovered()).isFalse();
      again.close();
    }
  }

  @Test
  void shouldTakeOverALockWhosePidWasReusedByAnotherProcess() {
    try (Mapping mapping = Mapping.anonymous(4096)) {
      ProcessIdentity me = ProcessIdentity.current();
      long impostor = new ProcessIdentity(me.pid(), me.startTime() + 1).token();
      mapping.atomics().setLongRelease(0, impostor);
      SharedLock lock = SharedLock.at(mapping, 0);
      // Same PID, different start time: the recorded holder is dead even though the PID lives.
      SharedLock.Guard guard = lock.tryAcquire();
      assertThat(guard).isNotNull();
      assertThat(guard.recovered()).isTrue();
      guard.close();
    }
  }

  @Test
  void shouldExcludeThreadsAndWakeASleeperOnRelease() throws Exception {
    try (Mapping mapping = Mapping.anonymous(4096)) {
      SharedLock lock = SharedLock.at(mapping, 64);
      SharedLock.Guard held = lock.acquire();
      CountDownLatch started = new CountDownLatch(1);
      AtomicBoolean acquired = new AtomicBoolean();
      Thread waiter =
          Thread.ofPlatform()
              .start(
                  () -> {
                    started.countDown();
                    SharedLock.Guard guard = lock.acquire(Duration.ofSeconds(30));
                    acquired.set(true);
                    guard.close();
                  });
      started.await();
      Thread.sleep(200);
      assertThat(acquired).isFalse();
      held.close();
      waiter.join(30_000);
      assertThat(acquired).isTrue();
      assertThat(lock.recoveries()).isZero();
    }
  }

  @Test
  void shouldRejectReentryReleaseByAnotherThreadAndMisalignment() throws Exception {
    try (Mapping mapping = Mapping.anonymous(4096)) {
      SharedLock lock = SharedLock.at(mapping, 0);
      SharedLock.Guard guard = lock.acquire();
      assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class);
      Thread other =
          Thread.ofPlatform()
              .start(
                  () -> assertThatThrownBy(guard::close).isInstanceOf(IllegalStateException.class));
      other.join();
      guard.close();
      assertThatThrownBy(() -> SharedLock.at(mapping, 4))
          .isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> SharedLock.at(mapping, 4080))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  /** Child: takes the lock, reports its token and holds the lock until killed. */
  public static final class Holder {
    private Holder() {}

    /** Argument: path of the shared block. */
    public static void main(String[] args) throws InterruptedException {
      SharedMemory block = SharedMemory.open(Path.of(args[0]));
      SharedLock.at(block.mapping(), 0).acquire();
      System.out.println("locked " + ProcessIdentity.current().token());
      Thread.sleep(Long.MAX_VALUE);
    }
  }
}
