package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MappingTest {
  @TempDir Path dir;

  @Test
  void shouldReadAndWriteTypedValuesThroughAFileMapping() throws IOException {
    Path path = dir.resolve("typed.dat");
    try (MappedFile file = MappedFile.create(path, 1 << 16);
        Mapping mapping = file.map()) {
      mapping.putByte(1, (byte) 7);
      mapping.putInt(3, 0x01020304);
      mapping.putLong(13, Long.MIN_VALUE + 5);
      assertThat(mapping.getByte(1)).isEqualTo((byte) 7);
      assertThat(mapping.getInt(3)).isEqualTo(0x01020304);
      assertThat(mapping.getLong(13)).isEqualTo(Long.MIN_VALUE + 5);
      mapping.sync();
    }
    ByteBuffer onDisk =
        ByteBuffer.wrap(Files.readAllBytes(path)).order(java.nio.ByteOrder.nativeOrder());
    assertThat(onDisk.getInt(3)).isEqualTo(0x01020304);
    assertThat(onDisk.getLong(13)).isEqualTo(Long.MIN_VALUE + 5);
  }

  @Test
  void shouldCreateFilesReadableByTheOwnerOnly() throws IOException {
    Path path = dir.resolve("private.dat");
    MappedFile.create(path, 4096).close();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(path)))
        .isEqualTo("rw-------");
  }

  @Test
  void shouldCopyBulkRangesAndChecksumThem() {
    byte[] data = new byte[300_000];
    new Random(42).nextBytes(data);
    try (MappedFile file = MappedFile.create(dir.resolve("bulk.dat"), data.length + 100);
        Mapping mapping = file.map()) {
      mapping.write(100, data, 0, data.length);
      byte[] back = new byte[data.length];
      mapping.read(100, back, 0, back.length);
      assertThat(back).isEqualTo(data);

      CRC32C expected = new CRC32C();
      expected.update(data);
      assertThat(mapping.checksum(100, data.length)).isEqualTo((int) expected.getValue());

      try (Arena arena = Arena.ofConfined()) {
        MemorySegment target = arena.allocate(1000);
        mapping.copyTo(100, target, 0, 1000);
        assertThat(target.get(ValueLayout.JAVA_BYTE, 999)).isEqualTo(data[999]);
        target.fill((byte) 9);
        mapping.copyFrom(target, 0, 0, 100);
        assertThat(mapping.getByte(99)).isEqualTo((byte) 9);
      }
      mapping.fill(0, 10, (byte) 3);
      assertThat(mapping.getByte(9)).isEqualTo((byte) 3);
    }
  }

  @Test
  void shouldMapAnUnalignedRangeOfAFile() throws IOException {
    Path path = dir.resolve("range.dat");
    byte[] data = new byte[20_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    Files.write(path, data);
    try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY);
        Mapping mapping = file.map(5000, 7000)) {
      assertThat(mapping.size()).isEqualTo(7000);
      assertThat(mapping.fileOffset()).isEqualTo(5000);
      assertThat(mapping.getByte(0)).isEqualTo((byte) 5000);
      assertThat(mapping.getByte(6999)).isEqualTo((byte) 11999);
      mapping.advise(0, 7000, Advice.WILL_NEED);
      assertThat(mapping.residency().pages()).isGreaterThanOrEqualTo(2);
    }
  }

  @Test
  void shouldRefuseToMapPastTheEndOfAReadOnlyFileWithoutGrowingIt() throws IOException {
    Path path = dir.resolve("short.dat");
    Files.write(path, new byte[1000]);
    try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY)) {
      assertThatThrownBy(() -> file.map(0, 5000))
          .isInstanceOf(TruncatedException.class)
          .hasMessageContaining("fileSize=1000");
    }
    try (MappedFile file = MappedFile.open(path, MapMode.PRIVATE)) {
      assertThatThrownBy(() -> file.map(0, 5000)).isInstanceOf(TruncatedException.class);
    }
    assertThat(Files.size(path)).isEqualTo(1000);
  }

  @Test
  void shouldGrowAReadWriteFileWhenMappingPastItsEnd() throws IOException {
    Path path = dir.resolve("grows.dat");
    try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE)) {
      assertThat(file.size()).isZero();
      try (Mapping mapping = file.map(0, 1 << 20)) {
        mapping.putLong((1 << 20) - 8, 99);
      }
      assertThat(file.size()).isEqualTo(1 << 20);
    }
  }

  @Test
  void shouldKeepPrivateWritesOutOfTheFile() throws IOException {
    Path path = dir.resolve("cow.dat");
    Files.write(path, new byte[8192]);
    try (MappedFile file = MappedFile.open(path, MapMode.PRIVATE);
        Mapping mapping = file.map()) {
      mapping.putLong(0, 1234);
      assertThat(mapping.getLong(0)).isEqualTo(1234);
      mapping.sync();
    }
    assertThat(Files.readAllBytes(path)).containsOnly(0);
  }

  @Test
  void shouldRefuseWritesThroughAReadOnlyMapping() throws IOException {
    Path path = dir.resolve("ro.dat");
    Files.write(path, new byte[4096]);
    try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY);
        Mapping mapping = file.map()) {
      assertThat(mapping.isWritable()).isFalse();
      assertThatThrownBy(() -> mapping.putLong(0, 1))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("read-only");
    }
  }

  @Test
  void shouldRejectOutOfBoundsAccess() {
    try (Mapping mapping = Mapping.anonymous(4096)) {
      assertThatThrownBy(() -> mapping.getLong(4090)).isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> mapping.residency(0, 8192))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void shouldSyncRangesSynchronouslyAndAsynchronously() throws IOException {
    Path path = dir.resolve("sync.dat");
    try (MappedFile file = MappedFile.create(path, 1 << 20);
        Mapping mapping = file.map()) {
      mapping.putLong(500_000, 77);
      mapping.sync(499_000, 10_000, SyncMode.SYNC);
      mapping.putLong(8, 78);
      mapping.sync(3, 100, SyncMode.ASYNC);
      mapping.sync();
    }
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(8).order(java.nio.ByteOrder.nativeOrder());
      channel.read(buffer, 500_000);
      assertThat(buffer.getLong(0)).isEqualTo(77);
    }
  }

  @Test
  void shouldAcceptEveryAdviceAndRefuseDontNeedOnPrivateMemory() {
    try (MappedFile file = MappedFile.create(dir.resolve("advice.dat"), 1 << 20);
        Mapping mapping = file.map()) {
      for (Advice advice : Advice.values()) {
        mapping.advise(0, 1 << 20, advice);
      }
    }
    try (Mapping anonymous = Mapping.anonymous(1 << 20)) {
      anonymous.putLong(0, 5);
      assertThatThrownBy(() -> anonymous.advise(0, 4096, Advice.DONT_NEED))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(anonymous.getLong(0)).isEqualTo(5);
    }
  }

  @Test
  void shouldMapAnonymousMemoryPrivateSharedAndWithHugePages() {
    for (AnonymousOption[] options :
        new AnonymousOption[][] {
          {},
          {AnonymousOption.SHARED},
          {AnonymousOption.HUGE_PAGES},
          {AnonymousOption.SHARED, AnonymousOption.HUGE_PAGES}
        }) {
      try (Mapping mapping = Mapping.anonymous(3 << 20, options)) {
        assertThat(mapping.file()).isEmpty();
        assertThat(mapping.getLong(0)).isZero();
        mapping.putLong((3 << 20) - 8, 11);
        assertThat(mapping.getLong((3 << 20) - 8)).isEqualTo(11);
        mapping.touch(0, 3 << 20);
      }
    }
  }

  @Test
  void shouldRunGuardedRawAccessAndReturnItsResult() {
    try (MappedFile file = MappedFile.create(dir.resolve("guard.dat"), 8192);
        Mapping mapping = file.map()) {
      mapping.putLong(16, 5);
      long value = mapping.guard(segment -> segment.get(ValueLayout.JAVA_LONG_UNALIGNED, 16));
      assertThat(value).isEqualTo(5);
    }
  }

  @Test
  void shouldCloseMappingsWhenTheFileCloses() {
    MappedFile file = MappedFile.create(dir.resolve("owner.dat"), 8192);
    Mapping mapping = file.map();
    file.close();
    assertThat(mapping.isClosed()).isTrue();
    assertThatThrownBy(file::size).isInstanceOf(ClosedException.class);
    assertThatThrownBy(file::map).isInstanceOf(ClosedException.class);
  }
}
