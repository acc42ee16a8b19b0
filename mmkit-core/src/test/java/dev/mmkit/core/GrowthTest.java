package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrowthTest {
  @TempDir Path dir;

  @Test
  void shouldAllocateRealBlocksWhenGrowing() throws Exception {
    Path path = dir.resolve("grow.dat");
    try (MappedFile file = MappedFile.create(path, 4096)) {
      file.grow(8 << 20);
      assertThat(file.size()).isEqualTo(8 << 20);
    }
    assertThat(allocatedBytes(path)).isGreaterThanOrEqualTo(8 << 20);
  }

  @Test
  void shouldKeepExistingMappingsValidWhileTheFileGrows() {
    try (MappedFile file = MappedFile.create(dir.resolve("views.dat"), 1 << 20)) {
      Mapping first = file.map();
      first.putLong(8, 41);
      file.grow(16 << 20);
      Mapping second = file.map(1 << 20, 15 << 20);
      second.putLong(0, 42);
      assertThat(first.getLong(8)).isEqualTo(41);
      assertThat(second.getLong(0)).isEqualTo(42);
      try (Mapping whole = file.map()) {
        assertThat(whole.getLong(1 << 20)).isEqualTo(42);
      }
    }
  }

  @Test
  void shouldFailWithFullExceptionWhenTheDiskIsFull() throws Exception {
    Path mount = dir.resolve("tiny");
    Files.createDirectory(mount);
    assumeTrue(
        run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount.toString()) == 0,
        "needs permission to mount a 1 MiB tmpfs to fill a disk");
    try (MappedFile file = MappedFile.create(mount.resolve("full.dat"), 4096)) {
      assertThatThrownBy(() -> file.grow(64 << 20))
          .isInstanceOf(FullException.class)
          .hasMessageContaining("no space left");
      try (Mapping mapping = file.map()) {
        mapping.putLong(0, 7);
        assertThat(mapping.getLong(0)).isEqualTo(7);
      }
    } finally {
      run("umount", mount.toString());
    }
  }

  @Test
  void shouldRefuseToShrinkAFileAnotherMmkitUserHasOpen() {
    Path path = dir.resolve("shared.dat");
    try (MappedFile owner = MappedFile.create(path, 1 << 20);
        MappedFile other = MappedFile.open(path, MapMode.READ_ONLY)) {
      assertThatThrownBy(() -> owner.truncate(4096))
          .isInstanceOf(MmkitException.class)
          .hasMessageContaining("refusing to shrink");
      assertThat(other.size()).isEqualTo(1 << 20);
    }
    try (MappedFile alone = MappedFile.open(path, MapMode.READ_WRITE)) {
      alone.truncate(4096);
      assertThat(alone.size()).isEqualTo(4096);
    }
  }

  @Test
  void shouldRefuseToShrinkUnderItsOwnLiveMapping() {
    try (MappedFile file = MappedFile.create(dir.resolve("own.dat"), 1 << 20);
        Mapping mapping = file.map()) {
      assertThatThrownBy(() -> file.truncate(4096)).isInstanceOf(IllegalStateException.class);
      assertThat(mapping.getLong(0)).isZero();
    }
  }

  @Test
  void shouldPunchHolesThatReadAsZerosWithoutFaulting() {
    assumeTrue(Platform.isLive(Feature.FILE_ALLOCATE), "hole punching needs fallocate");
    Path path = dir.resolve("holes.dat");
    try (MappedFile file = MappedFile.create(path, 1 << 20);
        Mapping mapping = file.map()) {
      mapping.fill(0, 1 << 20, (byte) 1);
      mapping.sync();
      file.punchHole(4096, 8192);
      assertThat(mapping.getByte(4096)).isZero();
      assertThat(mapping.getByte(4095)).isEqualTo((byte) 1);
      assertThat(file.size()).isEqualTo(1 << 20);
    }
  }

  @Test
  void shouldReadAndWriteTheEndOfASparseMappingLargerThanFourGib() throws IOException {
    Path path = dir.resolve("large.dat");
    long size = (5L << 30) + 4096;
    try (RandomAccessFile sparse = new RandomAccessFile(path.toFile(), "rw")) {
      sparse.setLength(size);
    }
    try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
        Mapping mapping = file.map()) {
      assertThat(mapping.size()).isEqualTo(size);
      assertThat(mapping.getLong(size - 8)).isZero();
      mapping.putLong(size - 8, 0x0123456789ABCDEFL);
      mapping.putLong(4L << 30, 5);
      assertThat(mapping.getLong(size - 8)).isEqualTo(0x0123456789ABCDEFL);
      mapping.sync(size - 4096, 4096, SyncMode.SYNC);
    }
    try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY);
        Mapping tail = file.map(size - 4096, 4096)) {
      assertThat(tail.getLong(4088)).isEqualTo(0x0123456789ABCDEFL);
    }
  }

  static long allocatedBytes(Path path) throws Exception {
    Process stat = new ProcessBuilder("stat", "-c", "%b %B", path.toString()).start();
    String[] fields = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
    stat.waitFor(10, TimeUnit.SECONDS);
    return Long.parseLong(fields[0]) * Long.parseLong(fields[1]);
  }

  private static int run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    process.getInputStream().readAllBytes();
    return process.waitFor(30, TimeUnit.SECONDS) ? process.exitValue() : -1;
  }
}
