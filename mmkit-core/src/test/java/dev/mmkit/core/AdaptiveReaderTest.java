package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.AdaptiveReader.Strategy;
import dev.mmkit.core.AdaptiveReader.Workload;
import dev.mmkit.core.testing.ChildJvm;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AdaptiveReaderTest {
  private static final int LARGE = 3 * AdaptiveReader.SCAN_CHUNK_BYTES + 5;

  @TempDir Path directory;

  @Test
  void shouldReadSmallFileWholeForEveryWorkload() throws IOException {
    byte[] bytes = write("small.dat", 4096, 1);
    try (AdaptiveReader reader = AdaptiveReader.open(directory.resolve("small.dat"))) {
      assertThat(reader.strategy(Workload.RANDOM)).isEqualTo(Strategy.WHOLE_FILE);
      assertThat(reader.strategy(Workload.SEQUENTIAL)).isEqualTo(Strategy.WHOLE_FILE);
      assertThat(reader.size()).isEqualTo(4096);
      assertThat(reader.readLong(17)).isEqualTo(longAt(bytes, 17));
      assertThat(reader.readInt(4092)).isEqualTo(intAt(bytes, 4092));
      assertThat(scanAll(reader)).isEqualTo(bytes);
    }
  }

  @Test
  void shouldKeepServingSmallFileAfterItIsDeleted() throws IOException {
    byte[] bytes = write("gone.dat", 1000, 2);
    try (AdaptiveReader reader = AdaptiveReader.open(directory.resolve("gone.dat"))) {
      Files.delete(directory.resolve("gone.dat"));
      assertThat(reader.readLong(992)).isEqualTo(longAt(bytes, 992));
    }
  }

  @Test
  void shouldMapLargeFileForRandomAccess() throws IOException {
    byte[] bytes = write("large.dat", LARGE, 3);
    try (AdaptiveReader reader = AdaptiveReader.open(directory.resolve("large.dat"))) {
      assertThat(reader.strategy(Workload.RANDOM)).isEqualTo(Strategy.MAPPING);
      assertThat(reader.readLong(LARGE - 8)).isEqualTo(longAt(bytes, LARGE - 8));
      byte[] block = new byte[4096];
      reader.read(1 << 20, block, 0, 4096);
      assertThat(block).isEqualTo(Arrays.copyOfRange(bytes, 1 << 20, (1 << 20) + 4096));
      long sum = reader.view(8192, 4096, segment -> sumLongs(segment));
      assertThat(sum).isEqualTo(sumLongs(MemorySegment.ofArray(bytes).asSlice(8192, 4096)));
    }
  }

  @Test
  void shouldGatherLongsAtEveryOffset() throws IOException {
    byte[] bytes = write("gather.dat", LARGE, 4);
    long[] offsets = {0, 4096, 3, LARGE - 8, 1 << 21};
    long[] values = new long[offsets.length];
    try (AdaptiveReader reader = AdaptiveReader.open(directory.resolve("gather.dat"))) {
      reader.readLongs(offsets, values);
    }
    for (int i = 0; i < offsets.length; i++) {
      assertThat(values[i]).isEqualTo(longAt(bytes, (int) offsets[i]));
    }
  }

  @Test
  void shouldScanLargeFileInOrderInChunksOfAtMostOneMebibyte() throws IOException {
    byte[] bytes = write("scan.dat", LARGE, 5);
    List<Long> sizes = new ArrayList<>();
    ByteArrayOutputStream seen = new ByteArrayOutputStream();
    try (AdaptiveReader reader = AdaptiveReader.open(directory.resolve("scan.dat"))) {
      reader.scan(
          chunk -> {
            sizes.add(chunk.byteSize());
            seen.writeBytes(chunk.toArray(ValueLayout.JAVA_BYTE));
          });
    }
    assertThat(seen.toByteArray()).isEqualTo(bytes);
    assertThat(sizes).hasSize(4).allMatch(size -> size <= AdaptiveReader.SCAN_CHUNK_BYTES);
  }

  @Test
  void shouldScanWithPositionalReadsWhenTheProcessMayUseTwoCpus() throws Exception {
    write("two-cpus.dat", LARGE, 12);
    String strategy =
        sequentialStrategyInChild(List.of("-XX:ActiveProcessorCount=2"), "two-cpus.dat");
    assertThat(strategy).isEqualTo(Strategy.POSITIONAL_READS.name());
  }

  @Test
  void shouldScanThroughTheMappingWhenTheProcessIsPinnedToOneCpu() throws Exception {
    write("one-cpu.dat", LARGE, 13);
    String strategy;
    if (commandExists("taskset")) {
      String java = ProcessHandle.current().info().command().orElseThrow();
      try (ChildJvm child =
          ChildJvm.startWrapped(
              List.of("taskset", "-c", "0", java),
              StrategyProbe.class,
              directory.resolve("one-cpu.dat").toString())) {
        strategy = child.awaitLine("strategy ", Duration.ofSeconds(60)).substring(9);
      }
    } else {
      strategy = sequentialStrategyInChild(List.of("-XX:ActiveProcessorCount=1"), "one-cpu.dat");
    }
    assertThat(strategy).isEqualTo(Strategy.MAPPING.name());
  }

  private String sequentialStrategyInChild(List<String> jvmOptions, String file) throws Exception {
    List<String> options = new ArrayList<>(jvmOptions);
    options.add("--enable-native-access=ALL-UNNAMED");
    try (ChildJvm child =
        ChildJvm.start(options, StrategyProbe.class, directory.resolve(file).toString())) {
      return child.awaitLine("strategy ", Duration.ofSeconds(60)).substring(9);
    }
  }

  private static boolean commandExists(String command) throws Exception {
    Process which = new ProcessBuilder("which", command).start();
    return which.waitFor(10, TimeUnit.SECONDS) && which.exitValue() == 0;
  }

  /** Child: prints the strategy a reader picks for a sequential scan of the file it is given. */
  public static final class StrategyProbe {
    private StrategyProbe() {}

    /** Argument: the file. */
    public static void main(String[] args) {
      try (AdaptiveReader reader = AdaptiveReader.open(Path.of(args[0]))) {
        System.out.println("strategy " + reader.strategy(Workload.SEQUENTIAL));
      }
    }
  }

  @Test
  void shouldScanAgainAndAgainWithTheSameReader() throws IOException {
    byte[] bytes = write("rescan.dat", LARGE, 11);
    try (AdaptiveReader reader = AdaptiveReader.open(directory.resolve("rescan.dat"))) {
      assertThat(scanAll(reader)).isEqualTo(bytes);
      assertThat(scanAll(reader)).isEqualTo(bytes);
      ByteArrayOutputStream part = new ByteArrayOutputStream();
      reader.scan(5, 2 << 20, chunk -> part.writeBytes(chunk.toArray(ValueLayout.JAVA_BYTE)));
      assertThat(part.toByteArray()).isEqualTo(Arrays.copyOfRange(bytes, 5, 5 + (2 << 20)));
    }
  }

  @Test
  void shouldHandOutReadOnlyViews() throws IOException {
    write("ro.dat", LARGE, 6);
    try (AdaptiveReader reader = AdaptiveReader.open(directory.resolve("ro.dat"))) {
      assertThatThrownBy(
              () ->
                  reader.view(
                      0,
                      8,
                      segment -> {
                        segment.set(ValueLayout.JAVA_LONG, 0, 1L);
                        return null;
                      }))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void shouldRejectRangePastTheEnd() throws IOException {
    write("bounds.dat", LARGE, 7);
    try (AdaptiveReader reader = AdaptiveReader.open(directory.resolve("bounds.dat"))) {
      assertThatThrownBy(() -> reader.readLong(LARGE - 7))
          .isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessageContaining("size=" + LARGE);
      assertThatThrownBy(() -> reader.scan(-1, 8, chunk -> {}))
          .isInstanceOf(IndexOutOfBoundsException.class);
      assertThatThrownBy(() -> reader.readLongs(new long[] {0, LARGE}, new long[2]))
          .isInstanceOf(IndexOutOfBoundsException.class);
    }
  }

  @Test
  void shouldThrowClosedExceptionAfterClose() throws IOException {
    write("closed.dat", LARGE, 8);
    AdaptiveReader reader = AdaptiveReader.open(directory.resolve("closed.dat"));
    reader.readLong(0);
    reader.close();
    reader.close();
    assertThatThrownBy(() -> reader.readLong(0)).isInstanceOf(ClosedException.class);
    assertThatThrownBy(() -> reader.scan(chunk -> {})).isInstanceOf(ClosedException.class);
  }

  @Test
  void shouldReportMissingFile() {
    assertThatThrownBy(() -> AdaptiveReader.open(directory.resolve("missing.dat")))
        .isInstanceOf(MmkitException.class)
        .hasCauseInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("file=");
  }

  @Test
  void shouldThrowTruncatedWhenFileShrinksUnderScan() throws IOException {
    Path path = directory.resolve("shrunk-scan.dat");
    write("shrunk-scan.dat", LARGE, 9);
    try (AdaptiveReader reader = AdaptiveReader.open(path)) {
      shrink(path, LARGE / 2);
      assertThatThrownBy(() -> reader.scan(chunk -> sumLongs(chunk)))
          .isInstanceOf(TruncatedException.class)
          .hasMessageContaining("fileSize=" + LARGE / 2);
    }
  }

  @Test
  void shouldThrowTruncatedWhenFileShrinksUnderRandomReads() throws IOException {
    Path path = directory.resolve("shrunk-random.dat");
    byte[] bytes = write("shrunk-random.dat", LARGE, 10);
    try (AdaptiveReader reader = AdaptiveReader.open(path)) {
      assertThat(reader.readLong(0)).isEqualTo(longAt(bytes, 0));
      shrink(path, 8192);
      assertThatThrownBy(() -> reader.readLong(LARGE - 8)).isInstanceOf(TruncatedException.class);
      assertThatThrownBy(() -> reader.view(1 << 20, 4096, AdaptiveReaderTest::sumLongs))
          .isInstanceOf(TruncatedException.class);
      assertThat(reader.readLong(16)).isEqualTo(longAt(bytes, 16));
    }
  }

  @Property(tries = 40)
  void shouldReadWhatTheFileHolds(
      @ForAll @IntRange(min = 8, max = 200_000) int size,
      @ForAll @LongRange(min = 0, max = 1L << 40) long where,
      @ForAll @IntRange(min = 0, max = 5000) int length)
      throws IOException {
    Path path = Files.createTempFile("mmkit-adaptive", ".dat");
    byte[] bytes = randomBytes(size, where);
    Files.write(path, bytes);
    int offset = (int) (where % (size - 7));
    int n = Math.min(length, size - offset);
    try (AdaptiveReader reader = AdaptiveReader.open(path)) {
      byte[] copy = new byte[n];
      reader.read(offset, copy, 0, n);
      assertThat(copy).isEqualTo(Arrays.copyOfRange(bytes, offset, offset + n));
      assertThat(reader.readLong(offset)).isEqualTo(longAt(bytes, offset));
      assertThat(scanAll(reader)).isEqualTo(bytes);
    } finally {
      Files.delete(path);
    }
  }

  private byte[] write(String name, int size, long seed) throws IOException {
    byte[] bytes = randomBytes(size, seed);
    Files.write(directory.resolve(name), bytes);
    return bytes;
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    return bytes;
  }

  private static void shrink(Path path, long size) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.truncate(size);
    }
  }

  private static byte[] scanAll(AdaptiveReader reader) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    reader.scan(chunk -> out.writeBytes(chunk.toArray(ValueLayout.JAVA_BYTE)));
    return out.toByteArray();
  }

  private static long sumLongs(MemorySegment segment) {
    long sum = 0;
    for (long at = 0; at + 8 <= segment.byteSize(); at += 8) {
      sum += segment.get(ValueLayout.JAVA_LONG_UNALIGNED, at);
    }
    return sum;
  }

  private static long longAt(byte[] bytes, int offset) {
    return MemorySegment.ofArray(bytes)
        .get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.nativeOrder()), offset);
  }

  private static int intAt(byte[] bytes, int offset) {
    return MemorySegment.ofArray(bytes).get(ValueLayout.JAVA_INT_UNALIGNED, offset);
  }
}
