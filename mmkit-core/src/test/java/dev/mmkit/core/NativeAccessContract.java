package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.core.testing.Smaps;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NativeAccessContract states what every {@link NativeAccess} implementation promises, whatever
 * features it has; each implementation runs it through a subclass.
 */
abstract class NativeAccessContract {
  @TempDir Path dir;

  abstract NativeAccess access();

  @Test
  void shouldReportAPowerOfTwoPageSize() {
    long pageSize = access().pageSize();
    assertThat(pageSize).isGreaterThanOrEqualTo(4096);
    assertThat(Long.bitCount(pageSize)).isEqualTo(1);
  }

  @Test
  void shouldMapZeroedWritableAnonymousMemory() {
    try (Arena arena = Arena.ofShared()) {
      MemorySegment memory = access().mapAnonymous(1 << 20, false, false, arena);
      assertThat(memory.byteSize()).isEqualTo(1 << 20);
      assertThat(memory.address() % access().pageSize()).isZero();
      assertThat(memory.get(ValueLayout.JAVA_LONG, (1 << 20) - 8)).isZero();
      memory.set(ValueLayout.JAVA_LONG, 0, 17);
      assertThat(memory.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(17);
      access().advise(memory, Advice.SEQUENTIAL);
      if (access().features().contains(Feature.ADVICE)) {
        assertThat(Smaps.flags(memory)).as("advice seen by the kernel").contains("sr");
      }
      byte[] residency = access().residency(memory);
      if (residency != null) {
        assertThat(residency).hasSize((int) ((1 << 20) / access().pageSize()));
        assertThat(residency[0] & 1).isEqualTo(1);
      }
      assertThat(access().populate(memory)).isNotEqualTo(NativeAccess.Populated.FAULTED);
    }
  }

  @Test
  void shouldSyncAFileMapping() throws IOException {
    Path path = dir.resolve("sync.dat");
    try (FileChannel channel =
            FileChannel.open(
                path,
                StandardOpenOption.CREATE,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        Arena arena = Arena.ofShared()) {
      MemorySegment mapped = channel.map(FileChannel.MapMode.READ_WRITE, 0, 8192, arena);
      // The kernel's flusher may write a page back on its own at any time: write until it is seen
      // dirty, so that the synchronous sync has something to do.
      for (int attempt = 0; Smaps.dirtyKb(mapped) == 0; attempt++) {
        assertThat(attempt).as("page never seen dirty").isLessThan(100);
        mapped.set(ValueLayout.JAVA_BYTE, 100, (byte) 5);
      }
      access().sync(mapped, false);
      access().sync(mapped, true);
      assertThat(Smaps.dirtyKb(mapped)).as("dirty after a synchronous sync").isZero();
    }
    assertThat(Files.readAllBytes(path)[100]).isEqualTo((byte) 5);
  }

  @Test
  void shouldTimeOutAFutexWaitAndReturnWhenTheValueDiffers() {
    try (Arena arena = Arena.ofShared()) {
      MemorySegment word = arena.allocate(4, 4);
      assertThat(access().futexWait(word, 0, 10_000_000L)).isFalse();
      word.set(ValueLayout.JAVA_INT, 0, 1);
      assertThat(access().futexWait(word, 0, 10_000_000_000L)).isTrue();
      assertThat(access().futexWake(word, 1)).isZero();
    }
  }

  @Test
  void shouldLetOnlyTheSoleHolderTakeTheFileLockExclusively() throws IOException {
    Path path = Files.write(dir.resolve("lock.dat"), new byte[4096]);
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ);
        FileHandle first = access().openFile(path, channel, false)) {
      first.lockShared();
      try (FileHandle second = access().openFile(path, channel, false)) {
        second.lockShared();
        assertThat(first.tryLockExclusive()).isFalse();
        assertThat(second.tryLockExclusive()).isFalse();
      }
      assertThat(first.tryLockExclusive()).isTrue();
      first.downgrade();
    }
  }

  @Test
  void shouldSurfaceNoFaultWhenNoneIsPending() {
    access().surfacePendingFault();
  }
}
