package dev.mmkit.harness.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * IoReads is one method of reading, set up for one timed run: it opens what the method keeps open
 * across operations (a channel, a mapping) before the clock starts and closes it after.
 *
 * <p>Every method consumes the bytes it reads the same way, by summing them as native-order longs,
 * and returns the sum: all methods of a row must return the same sum, which checks that they read
 * the same bytes. Each subclass has its own copy of the summing loop so that the JIT profiles one
 * method's memory types apart from another's.
 */
abstract class IoReads implements AutoCloseable {
  final IoDataset data;

  IoReads(IoDataset data) {
    this.data = data;
  }

  /** Creates the reads of {@code method} over {@code data}. */
  static IoReads of(IoMethod method, IoDataset data) throws IOException {
    return switch (method) {
      case MAPPED -> new MappedReads(data);
      case CHANNEL -> new ChannelReads(data);
      case RANDOM_ACCESS_FILE -> new RandomAccessFileReads(data);
      case STREAM -> new StreamReads(data);
      case ADAPTIVE -> new AdaptiveReads(data);
    };
  }

  /** Runs {@code workload} once and returns the sum of the longs read. */
  final long run(IoWorkload workload) throws IOException {
    return switch (workload) {
      case RANDOM_8 -> random8(data.randomOffsets8());
      case RANDOM_4K -> random4k(data.randomOffsets4k());
      case SCAN -> scan();
      case SMALL_FILES -> smallFiles(data.smallFiles());
    };
  }

  /** Reads the long at each offset. */
  abstract long random8(long[] offsets) throws IOException;

  /** Reads the 4 KiB block at each offset. */
  abstract long random4k(long[] offsets) throws IOException;

  /** Reads the whole large file in order. */
  abstract long scan() throws IOException;

  /** Opens, reads whole and closes each small file. */
  abstract long smallFiles(Path[] files) throws IOException;

  @Override
  public abstract void close() throws IOException;
}
