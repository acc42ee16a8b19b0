package dev.mmkit.harness.io;

import dev.mmkit.core.AdaptiveReader;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * AdaptiveReads reads through mmkit's {@link AdaptiveReader}, which picks the strategy itself: the
 * large file's reader is opened once per run, each small file gets its own reader.
 */
final class AdaptiveReads extends IoReads {
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

  private final AdaptiveReader reader;

  /** Random 8-byte reads go through the reader's gather: one call for all offsets of a run. */
  private long[] values = new long[0];

  AdaptiveReads(IoDataset data) {
    super(data);
    reader = AdaptiveReader.open(data.file());
  }

  /** Returns the strategy the reader picks for {@code workload}, for the report. */
  static String strategyFor(IoWorkload workload, IoDataset data) {
    Path path = workload == IoWorkload.SMALL_FILES ? data.smallFiles()[0] : data.file();
    try (AdaptiveReader probe = AdaptiveReader.open(path)) {
      return probe
          .strategy(
              workload == IoWorkload.SCAN
                  ? AdaptiveReader.Workload.SEQUENTIAL
                  : AdaptiveReader.Workload.RANDOM)
          .name()
          .toLowerCase(java.util.Locale.ROOT);
    }
  }

  @Override
  long random8(long[] offsets) {
    if (values.length != offsets.length) {
      values = new long[offsets.length];
    }
    reader.readLongs(offsets, values);
    long sum = 0;
    for (long value : values) {
      sum += value;
    }
    return sum;
  }

  @Override
  long random4k(long[] offsets) {
    long sum = 0;
    for (long offset : offsets) {
      sum += reader.view(offset, IoDataset.PAGE, AdaptiveReads::sum);
    }
    return sum;
  }

  @Override
  long scan() {
    long[] sum = new long[1];
    reader.scan(chunk -> sum[0] += sum(chunk));
    return sum[0];
  }

  @Override
  long smallFiles(Path[] files) {
    long sum = 0;
    for (Path file : files) {
      try (AdaptiveReader small = AdaptiveReader.open(file)) {
        sum += small.view(0, small.size(), AdaptiveReads::sum);
      }
    }
    return sum;
  }

  private static long sum(MemorySegment memory) {
    long sum = 0;
    for (long at = 0, end = memory.byteSize(); at < end; at += 8) {
      sum += memory.get(LONG, at);
    }
    return sum;
  }

  @Override
  public void close() {
    reader.close();
  }
}
