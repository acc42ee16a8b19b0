package dev.mmkit.harness.io;

import dev.mmkit.core.Mapping;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * MemoryLimit measures the in-memory limit of a read: summing anonymous memory of the same size as
 * the file, with the same loop the readers use. No way of reading a file can beat it, so every
 * figure of the bench also reads as a fraction of it.
 */
final class MemoryLimit implements AutoCloseable {
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

  private final Mapping memory;

  MemoryLimit(long size) {
    memory = Mapping.anonymous(size);
    MemorySegment segment = memory.segment();
    for (long at = 0; at < size; at += 8) {
      segment.set(LONG, at, at * 0x9E3779B97F4A7C15L);
    }
  }

  /** Sums the memory once and returns the sum. */
  long run() {
    MemorySegment segment = memory.segment();
    long sum = 0;
    for (long at = 0, end = segment.byteSize(); at < end; at += 8) {
      sum += segment.get(LONG, at);
    }
    return sum;
  }

  @Override
  public void close() {
    memory.close();
  }
}
