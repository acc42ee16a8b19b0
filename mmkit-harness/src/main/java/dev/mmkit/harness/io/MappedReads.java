package dev.mmkit.harness.io;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * MappedReads reads through a {@link MemorySegment} from {@code FileChannel.map}: the plain JDK, no
 * mmkit. The large file is mapped once per run and the mapping reused; each small file is opened,
 * mapped, read, unmapped and closed.
 */
final class MappedReads extends IoReads {
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

  private final Arena arena = Arena.ofShared();
  private final MemorySegment segment;

  MappedReads(IoDataset data) throws IOException {
    super(data);
    try (FileChannel channel = FileChannel.open(data.file(), StandardOpenOption.READ)) {
      segment = channel.map(FileChannel.MapMode.READ_ONLY, 0, data.size(), arena);
    }
  }

  @Override
  long random8(long[] offsets) {
    long sum = 0;
    for (long offset : offsets) {
      sum += segment.get(LONG, offset);
    }
    return sum;
  }

  @Override
  long random4k(long[] offsets) {
    long sum = 0;
    for (long offset : offsets) {
      sum += sum(segment, offset, IoDataset.PAGE);
    }
    return sum;
  }

  @Override
  long scan() {
    return sum(segment, 0, segment.byteSize());
  }

  @Override
  long smallFiles(Path[] files) throws IOException {
    long sum = 0;
    for (Path file : files) {
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
          Arena fileArena = Arena.ofConfined()) {
        MemorySegment mapped =
            channel.map(FileChannel.MapMode.READ_ONLY, 0, channel.size(), fileArena);
        sum += sum(mapped, 0, mapped.byteSize());
      }
    }
    return sum;
  }

  private static long sum(MemorySegment memory, long offset, long length) {
    long sum = 0;
    for (long at = offset, end = offset + length; at < end; at += 8) {
      sum += memory.get(LONG, at);
    }
    return sum;
  }

  @Override
  public void close() {
    arena.close();
  }
}
