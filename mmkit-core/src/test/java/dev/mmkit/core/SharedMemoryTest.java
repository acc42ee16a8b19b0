package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.testing.ChildJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SharedMemoryTest {
  static final long ATOMIC = 0;
  static final long PLAIN = 8;
  static final long LOCK = 64;
  static final long START = 128;

  @TempDir Path dir;

  @Test
  void shouldCreateOpenAndDeleteANamedBlock() throws Exception {
    String name = "mmkit-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try (SharedMemory created = SharedMemory.create(name, 8192)) {
      assertThat(created.path()).isEqualTo(SharedMemory.directory().resolve(name));
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(created.path())))
          .isEqualTo("rw-------");
      created.mapping().putLong(0, 5);
      try (SharedMemory opened = SharedMemory.open(name)) {
        assertThat(opened.size()).isEqualTo(8192);
        assertThat(opened.mapping().getLong(0)).isEqualTo(5);
      }
      assertThatThrownBy(() -> SharedMemory.create(name, 8192))
          .isInstanceOf(MmkitException.class)
          .hasMessageContaining("already exists");
      created.delete();
      assertThat(created.path()).doesNotExist();
      assertThat(created.mapping().getLong(0)).isEqualTo(5);
    }
    assertThat(Files.list(SharedMemory.directory()).filter(p -> p.toString().contains(name)))
        .isEmpty();
  }

  @Test
  void shouldRejectBadNamesAndMissingBlocks() {
    assertThatThrownBy(() -> SharedMemory.pathOf("a/b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SharedMemory.pathOf(".."))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SharedMemory.open(dir.resolve("missing")))
        .isInstanceOf(MmkitException.class)
        .hasMessageContaining("no such file");
    assertThat(dir.resolve("missing")).doesNotExist();
  }

  @Test
  void shouldCountExactlyAcrossTwoChildJvms() throws Exception {
    Path path = dir.resolve("counter.shm");
    long increments = 2_000_000;
    long locked = 100_000;
    try (SharedMemory block = SharedMemory.create(path, 4096)) {
      try (ChildJvm first = startCounter(path, increments, locked);
          ChildJvm second = startCounter(path, increments, locked)) {
        first.awaitLine("ready", Duration.ofSeconds(60));
        second.awaitLine("ready", Duration.ofSeconds(60));
        block.mapping().atomics().setIntRelease(START, 1);
        Futex.wakeAll(block.mapping(), START);
        assertThat(first.awaitExit(Duration.ofMinutes(2))).as(first.describe()).isZero();
        assertThat(second.awaitExit(Duration.ofMinutes(2))).as(second.describe()).isZero();
      }
      assertThat(block.mapping().atomics().getLongVolatile(ATOMIC)).isEqualTo(2 * increments);
      assertThat(block.mapping().getLong(PLAIN)).isEqualTo(2 * locked);
      assertThat(SharedLock.at(block.mapping(), LOCK).recoveries()).isZero();
    }
  }

  private static ChildJvm startCounter(Path path, long increments, long locked) {
    return ChildJvm.start(
        Counter.class, path.toString(), Long.toString(increments), Long.toString(locked));
  }

  /** Child: waits for the start word, then counts atomically and under the shared lock. */
  public static final class Counter {
    private Counter() {}

    /** Arguments: path, atomic increments, locked increments. */
    public static void main(String[] args) {
      try (SharedMemory block = SharedMemory.open(Path.of(args[0]))) {
        Mapping mapping = block.mapping();
        System.out.println("ready");
        while (mapping.atomics().getIntAcquire(START) == 0) {
          Futex.await(mapping, START, 0, Duration.ofMillis(100));
        }
        long increments = Long.parseLong(args[1]);
        for (long i = 0; i < increments; i++) {
          mapping.atomics().getAndAddLong(ATOMIC, 1);
        }
        SharedLock lock = SharedLock.at(mapping, LOCK);
        long locked = Long.parseLong(args[2]);
        for (long i = 0; i < locked; i++) {
          SharedLock.Guard guard = lock.acquire(Duration.ofSeconds(30));
          try {
            mapping.putLong(PLAIN, mapping.getLong(PLAIN) + 1);
          } finally {
            guard.close();
          }
        }
        System.out.println("done");
      }
    }
  }
}
