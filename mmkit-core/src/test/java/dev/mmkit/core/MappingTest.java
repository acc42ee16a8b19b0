package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmkit.core.testing.ChildJvm;
import dev.mmkit.core.testing.Smaps;
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
import java.time.Duration;
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
  void shouldMapAnUnalignedRangeOfAFile() throws Exception {
    Path path = dir.resolve("range.dat");
    byte[] data = new byte[20_000];
    for (int i = 0; i < data.length; i++) {
      data[i] = (byte) i;
    }
    writeDurably(path, data);
    try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY);
        Mapping mapping = file.map(5000, 7000)) {
      assertThat(mapping.size()).isEqualTo(7000);
      assertThat(mapping.fileOffset()).isEqualTo(5000);
      assertThat(mapping.getByte(0)).isEqualTo((byte) 5000);
      assertThat(mapping.getByte(6999)).isEqualTo((byte) 11999);
      if (Platform.isLive(Feature.ADVICE) && Platform.isLive(Feature.PAGE_CACHE_DROP)) {
        // The page cache drops only whole blocks of pages it holds together (large folios), so
        // evict the whole file too once this mapping has let go of its pages.
        mapping.evict(0, 7000);
        try (Mapping whole = file.map()) {
          whole.evict(0, whole.size());
        }
        assertThat(mapping.residency().residentPages()).isZero();
        mapping.advise(0, 7000, Advice.WILL_NEED);
        awaitAllResident(mapping);
      }
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
  void shouldWriteDirtyPagesBackWhenSyncingARangeAndTheWholeMapping() {
    long page = Platform.pageSize();
    long pageKb = page / 1024;
    try (MappedFile file = MappedFile.create(dir.resolve("sync.dat"), 1 << 20);
        Mapping mapping = file.map()) {
      // Two dirty pages, seen by the kernel. (Its flusher may write a page back on its own at any
      // time, so the writes are repeated until both are seen dirty at once.)
      for (int attempt = 0; Smaps.dirtyKb(mapping.segment()) < 2 * pageKb; attempt++) {
        assertThat(attempt).as("pages never seen dirty").isLessThan(100);
        mapping.putLong(500_000, 77);
        mapping.putLong(8, 78);
      }
      // Asynchronous: a request that Linux carries out later; nothing to observe now.
      mapping.sync(3, 100, SyncMode.ASYNC);
      mapping.sync(499_000, 10_000, SyncMode.SYNC);
      assertThat(Smaps.dirtyKb(mapping.segment()))
          .as("left dirty after a range sync")
          .isLessThanOrEqualTo(pageKb);
      mapping.sync();
      assertThat(Smaps.dirtyKb(mapping.segment())).as("left dirty after a full sync").isZero();
    }
  }

  @Test
  void shouldApplyEveryAdviceToTheRangeItNames() throws Exception {
    assumeTrue(Platform.isLive(Feature.ADVICE), "madvise needs native access");
    Path path = dir.resolve("advice.dat");
    writeDurably(path, new byte[1 << 20]);
    try (MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
        Mapping mapping = file.map()) {
      MemorySegment memory = mapping.segment();
      mapping.advise(0, 1 << 20, Advice.RANDOM);
      assertThat(Smaps.flags(memory)).contains("rr").doesNotContain("sr");
      mapping.advise(0, 1 << 20, Advice.SEQUENTIAL);
      assertThat(Smaps.flags(memory)).contains("sr").doesNotContain("rr");
      mapping.advise(0, 1 << 20, Advice.NORMAL);
      assertThat(Smaps.flags(memory)).doesNotContain("sr", "rr");
      mapping.advise(0, 1 << 20, Advice.HUGE_PAGES);
      assertThat(Smaps.flags(memory)).contains("hg").doesNotContain("nh");
      mapping.advise(0, 1 << 20, Advice.NO_HUGE_PAGES);
      assertThat(Smaps.flags(memory)).contains("nh").doesNotContain("hg");

      mapping.touch(0, 1 << 20);
      assertThat(Smaps.kb(memory, "Rss")).isEqualTo(1024);
      mapping.advise(0, 1 << 20, Advice.DONT_NEED);
      assertThat(Smaps.kb(memory, "Rss")).as("pages still mapped after DONT_NEED").isZero();

      if (Platform.isLive(Feature.PAGE_CACHE_DROP)) {
        mapping.evict(0, 1 << 20);
        assertThat(mapping.residency().residentPages()).isZero();
        mapping.advise(0, 1 << 20, Advice.WILL_NEED);
        awaitAllResident(mapping);
      }
    }
  }

  @Test
  void shouldRefuseDontNeedOnPrivateAndAnonymousMemory() throws IOException {
    Path path = Files.write(dir.resolve("private-advice.dat"), new byte[8192]);
    try (MappedFile file = MappedFile.open(path, MapMode.PRIVATE);
        Mapping mapping = file.map()) {
      mapping.putLong(0, 6);
      assertThatThrownBy(() -> mapping.advise(0, 4096, Advice.DONT_NEED))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(mapping.getLong(0)).isEqualTo(6);
    }
    try (Mapping anonymous = Mapping.anonymous(1 << 20)) {
      anonymous.putLong(0, 5);
      assertThatThrownBy(() -> anonymous.advise(0, 4096, Advice.DONT_NEED))
          .isInstanceOf(IllegalArgumentException.class);
      assertThat(anonymous.getLong(0)).isEqualTo(5);
    }
  }

  @Test
  void shouldMapZeroedAnonymousMemoryThatTouchMakesResident() {
    for (AnonymousOption[] options : new AnonymousOption[][] {{}, {AnonymousOption.SHARED}}) {
      try (Mapping mapping = Mapping.anonymous(3 << 20, options)) {
        assertThat(mapping.file()).isEmpty();
        assertThat(mapping.getLong(0)).isZero();
        mapping.putLong((3 << 20) - 8, 11);
        assertThat(mapping.getLong((3 << 20) - 8)).isEqualTo(11);
        if (Platform.isLive(Feature.RESIDENCY)) {
          Residency before = mapping.residency();
          assertThat(before.residentPages()).as("untouched pages resident").isLessThan(3);
          mapping.touch(0, 3 << 20);
          assertThat(mapping.residency().residentPages()).isEqualTo(before.pages());
        }
      }
    }
  }

  @Test
  void shouldShareASharedAnonymousMappingWithAnotherProcess() throws Exception {
    assumeAnotherProcessCanAttach();
    try (Mapping mapping = Mapping.anonymous(1 << 20, AnonymousOption.SHARED)) {
      assertThat(Smaps.flags(mapping.segment())).contains("sh");
      mapping.atomics().setLongRelease(4096, 4242);
      try (ChildJvm child = attacher(mapping)) {
        assertThat(child.awaitLine("attached ", Duration.ofSeconds(60))).isEqualTo("attached 4242");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (mapping.atomics().getLongAcquire(8192) != 4343) {
          assertThat(System.nanoTime() - deadline).as("child's write never seen").isNegative();
          Thread.onSpinWait();
        }
        assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
      }
    }
  }

  @Test
  void shouldKeepAPrivateAnonymousMappingToThisProcess() throws Exception {
    assumeAnotherProcessCanAttach();
    try (Mapping mapping = Mapping.anonymous(1 << 20)) {
      assertThat(Smaps.flags(mapping.segment())).doesNotContain("sh");
      mapping.atomics().setLongRelease(4096, 4242);
      try (ChildJvm child = attacher(mapping)) {
        assertThat(child.awaitLine("attached", Duration.ofSeconds(60))).isEqualTo("attached none");
        assertThat(child.awaitExit(Duration.ofSeconds(30))).isZero();
      }
    }
  }

  /**
   * A JVM cannot fork, so another process reaches this one's anonymous memory only through {@code
   * /proc/PID/map_files}, which takes CAP_SYS_ADMIN (or CAP_CHECKPOINT_RESTORE) to open.
   */
  private static void assumeAnotherProcessCanAttach() throws IOException {
    assumeTrue(Platform.isLive(Feature.ANONYMOUS_MMAP), "mmap needs native access");
    try (var entries = Files.list(Path.of("/proc/self/map_files"))) {
      Path any = entries.findFirst().orElseThrow();
      Files.newByteChannel(any).close();
    } catch (IOException | SecurityException e) {
      assumeTrue(false, "cannot open /proc/PID/map_files entries here: " + e);
    }
  }

  private static ChildJvm attacher(Mapping mapping) {
    return ChildJvm.start(
        Attacher.class,
        Long.toString(ProcessHandle.current().pid()),
        Long.toString(mapping.segment().address()),
        Long.toString(mapping.size()));
  }

  @Test
  void shouldBackAnonymousMemoryWithHugePagesOrRefuseSayingWhy() throws Exception {
    assumeTrue(Platform.isLive(Feature.ANONYMOUS_MMAP), "mmap needs native access");
    for (boolean shared : new boolean[] {false, true}) {
      AnonymousOption[] options =
          shared
              ? new AnonymousOption[] {AnonymousOption.SHARED, AnonymousOption.HUGE_PAGES}
              : new AnonymousOption[] {AnonymousOption.HUGE_PAGES};
      HugePageSupport kernel = HugePageSupport.read(shared, 3 << 20);
      if (!kernel.any()) {
        assertThatThrownBy(() -> Mapping.anonymous(3 << 20, options))
            .isInstanceOf(UnsupportedPlatformException.class)
            .hasMessageContaining("huge pages unavailable")
            .hasMessageContaining(kernel.transparentSetting());
        continue;
      }
      try (Mapping mapping = Mapping.anonymous(3 << 20, options)) {
        for (long at = 0; at < mapping.size(); at += Platform.pageSize()) {
          mapping.putByte(at, (byte) 1);
        }
        MemorySegment memory = mapping.segment();
        long hugeKb =
            kernel.reserved()
                ? Smaps.kb(memory, "Private_Hugetlb") + Smaps.kb(memory, "Shared_Hugetlb")
                : Smaps.kb(memory, shared ? "ShmemPmdMapped" : "AnonHugePages");
        assertThat(hugeKb)
            .as("huge-page kilobytes of a 3 MiB mapping whose pages were all written (%s)", kernel)
            .isGreaterThanOrEqualTo(2048);
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

  /** Writes {@code data} to a new file and waits for the disk, so that no page of it is dirty. */
  private static void writeDurably(Path path, byte[] data) throws IOException {
    try (FileChannel channel =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      channel.write(ByteBuffer.wrap(data));
      channel.force(true);
    }
  }

  /** Waits until every page of the mapping is resident (read-ahead runs in the background). */
  private static void awaitAllResident(Mapping mapping) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    Residency residency = mapping.residency();
    while (residency.residentPages() < residency.pages()) {
      assertThat(System.nanoTime() - deadline)
          .as("pages never became resident: %s", residency.picture(64))
          .isNegative();
      Thread.sleep(1);
      residency = mapping.residency();
    }
  }

  /**
   * Child: looks for an object it can map behind an address range of another process ({@code
   * /proc/PID/map_files}, which lists file-backed areas only: shared anonymous memory is a shmem
   * file, private anonymous memory is nothing). Found, it maps it, prints the long at 4096 and
   * writes 4343 at 8192; otherwise it prints {@code attached none}.
   */
  public static final class Attacher {
    private Attacher() {}

    /** Arguments: pid, start address and size of the range. */
    public static void main(String[] args) throws IOException {
      long start = Long.parseLong(args[1]);
      long size = Long.parseLong(args[2]);
      Path files = Path.of("/proc", args[0], "map_files");
      Path found = null;
      try (var entries = Files.list(files)) {
        for (Path entry : (Iterable<Path>) entries::iterator) {
          String[] range = entry.getFileName().toString().split("-");
          if (Long.parseUnsignedLong(range[0], 16) <= start
              && start + size <= Long.parseUnsignedLong(range[1], 16)) {
            found = entry;
          }
        }
      }
      if (found == null) {
        System.out.println("attached none");
        return;
      }
      long offset =
          start - Long.parseUnsignedLong(found.getFileName().toString().split("-")[0], 16);
      try (FileChannel channel =
              FileChannel.open(found, StandardOpenOption.READ, StandardOpenOption.WRITE);
          Arena arena = Arena.ofConfined()) {
        MemorySegment shared = channel.map(FileChannel.MapMode.READ_WRITE, offset, size, arena);
        System.out.println("attached " + shared.get(ValueLayout.JAVA_LONG, 4096));
        shared.set(ValueLayout.JAVA_LONG, 8192, 4343);
      }
    }
  }
}
