package dev.mmkit.bench.core;

import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * MappingReadBenchmark compares reads through mmkit's {@link Mapping} with reads of a raw {@link
 * MemorySegment} that {@code FileChannel.map} returns for the same file: typed {@code getLong}
 * (each call pays mmkit's fault fence), the same reads as one batch inside {@link Mapping#guard}
 * (one fence per batch), and 4 KiB copies into a heap array.
 *
 * <p>{@code spread=hot} reads 1024 offsets again and again, so the data sits in the CPU caches and
 * the figures show the access path alone; {@code spread=wide} walks 1M random offsets across the
 * file, so each read also pays a cache and TLB miss, as real random access does.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MappingReadBenchmark {
  /** Reads per invocation of the batched benchmarks. */
  static final int BATCH = 1024;

  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

  /** Size of the mapped file in bytes. */
  @Param({"268435456"})
  public long fileSize;

  /** {@code hot}: 1024 offsets in the CPU caches; {@code wide}: 1M offsets across the file. */
  @Param({"hot", "wide"})
  public String spread;

  private Path file;
  private Arena arena;
  private MemorySegment raw;
  private MappedFile mappedFile;
  private Mapping mapping;
  private long[] offsets;
  private int next;
  private final byte[] block = new byte[4096];

  /** Writes the file and maps it both ways. */
  @Setup(Level.Trial)
  public void map() throws IOException {
    file = Files.createTempFile("mmkit-bench-core-", ".dat");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
      ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
      SplittableRandom random = new SplittableRandom(7);
      for (long at = 0; at < fileSize; at += chunk.capacity()) {
        chunk.clear();
        while (chunk.hasRemaining()) {
          chunk.putLong(random.nextLong());
        }
        chunk.flip();
        channel.write(chunk, at);
      }
    }
    arena = Arena.ofShared();
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      raw = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize, arena);
    }
    mappedFile = MappedFile.open(file, MapMode.READ_ONLY);
    mapping = mappedFile.map();
    int count = spread.equals("hot") ? BATCH : 1 << 20;
    SplittableRandom random = new SplittableRandom(11);
    offsets = new long[count];
    for (int i = 0; i < count; i++) {
      offsets[i] = random.nextLong(fileSize / 4096) * 4096 + random.nextInt(512) * 8L;
    }
    mapping.touch(0, fileSize);
    raw.load();
  }

  /** Unmaps and deletes the file. */
  @TearDown(Level.Trial)
  public void unmap() throws IOException {
    mappedFile.close();
    arena.close();
    Files.deleteIfExists(file);
  }

  private int start() {
    int from = next;
    next = (next + BATCH) % offsets.length;
    return from;
  }

  /** Reads 1024 longs from the raw JDK segment. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long rawGetLong() {
    int from = start();
    long sum = 0;
    for (int i = from; i < from + BATCH; i++) {
      sum += raw.get(LONG, offsets[i]);
    }
    return sum;
  }

  /** Reads 1024 longs through mmkit's typed accessor, one fault fence each. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long mmkitGetLong() {
    int from = start();
    long sum = 0;
    for (int i = from; i < from + BATCH; i++) {
      sum += mapping.getLong(offsets[i]);
    }
    return sum;
  }

  /** Reads 1024 longs from mmkit's raw view inside one {@code guard}: one fence per batch. */
  @Benchmark
  @OperationsPerInvocation(BATCH)
  public long mmkitGuardedBatch() {
    int from = start();
    return mapping.guard(
        segment -> {
          long sum = 0;
          for (int i = from; i < from + BATCH; i++) {
            sum += segment.get(LONG, offsets[i]);
          }
          return sum;
        });
  }

  /** Copies one 4 KiB page of the raw JDK segment into a heap array. */
  @Benchmark
  public byte rawCopy4k() {
    long offset = offsets[next] & -4096L;
    next = (next + 1) % offsets.length;
    MemorySegment.copy(raw, ValueLayout.JAVA_BYTE, offset, block, 0, block.length);
    return block[17];
  }

  /** Copies one 4 KiB page through mmkit's bulk read. */
  @Benchmark
  public byte mmkitRead4k() {
    long offset = offsets[next] & -4096L;
    next = (next + 1) % offsets.length;
    mapping.read(offset, block, 0, block.length);
    return block[17];
  }
}
