package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmkit.core.testing.ChildJvm;
import dev.mmkit.core.testing.TestThread;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
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
    assumeTrue(Platform.isLive(Feature.FUTEX), "futex needs native access on Linux");
    try (Mapping mapping = Mapping.anonymous(4096)) {
      // Waiters of this view of the lock check the holder only every minute: nothing but the
      // unlocker's wake-up can end their sleep within the few seconds this test allows.
      SharedLock lock = SharedLock.at(mapping, 64, Duration.ofMinutes(1));
      SharedLock.Guard held = lock.acquire();
      AtomicLong acquiredAt = new AtomicLong();
      TestThread waiter =
          TestThread.start(
              "lock-waiter",
              () -> {
                SharedLock.Guard guard = lock.acquire(Duration.ofMinutes(5));
                acquiredAt.set(System.nanoTime());
                assertThat(guard.recovered()).isFalse();
                guard.close();
              });
      long sequence = mapping.segment().address() + 64 + SharedLockLayout.WAKE_SEQUENCE_OFFSET;
      waiter.task().awaitFutexSleep(sequence, Duration.ofSeconds(60));
      assertThat(mapping.atomics().getIntAcquire(64 + SharedLockLayout.SLEEPERS_OFFSET)).isOne();
      assertThat(acquiredAt).hasValue(0);
      long released = System.nanoTime();
      held.close();
      waiter.join(Duration.ofSeconds(20));
      assertThat(Duration.ofNanos(acquiredAt.get() - released)).isLessThan(Duration.ofSeconds(20));
      assertThat(lock.recoveries()).isZero();
      assertThat(lock.ownerToken()).isZero();
    }
  }

  @Test
  void shouldRejectReentryReleaseByAnotherThreadAndMisalignment() throws Exception {
    try (Mapping mapping = Mapping.anonymous(4096)) {
      SharedLock lock = SharedLock.at(mapping, 0);
      SharedLock.Guard guard = lock.acquire();
      assertThatThrownBy(lock::acquire).isInstanceOf(IllegalStateException.class);
      TestThread other =
          TestThread.start(
              "wrong-releaser",
              () -> assertThatThrownBy(guard::close).isInstanceOf(IllegalStateException.class));
      other.join(Duration.ofSeconds(30));
      assertThat(lock.ownerToken()).isEqualTo(ProcessIdentity.current().token());
      guard.close();
      assertThat(lock.ownerToken()).isZero();
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
