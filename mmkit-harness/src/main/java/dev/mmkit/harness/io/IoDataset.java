package dev.mmkit.harness.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * IoDataset is the data {@code mmkit bench io} reads: one large file of pseudo-random longs, a
 * directory of small files, and the page-aligned offsets of the random reads, all derived from one
 * random seed so every method reads exactly the same bytes. It lives in a directory of its own that
 * {@link #close()} deletes.
 */
public final class IoDataset implements AutoCloseable {
  /** The page size the offsets and the large file's size are aligned to. */
  public static final int PAGE = 4096;

  /** The size of each small file. */
  public static final int SMALL_FILE_BYTES = 4096;

  private static final int WRITE_CHUNK = 1 << 20;
  private static final int FILES_PER_DIRECTORY = 1000;
  private static final long SEED = 0x6d6d6b6974L;

  private final Path parent;
  private final Path directory;
  private final Path file;
  private final long size;
  private final Path[] smallFiles;
  private final long[] randomOffsets8;
  private final long[] randomOffsets4k;

  private IoDataset(
      Path parent, Path directory, long size, int smallFiles, int randomOps8, int randomOps4k) {
    this.parent = parent;
    this.directory = directory;
    this.file = directory.resolve("large.dat");
    this.size = size;
    this.smallFiles = new Path[smallFiles];
    for (int i = 0; i < smallFiles; i++) {
      this.smallFiles[i] =
          directory.resolve(String.format("small/%03d/%06d.dat", i / FILES_PER_DIRECTORY, i));
    }
    SplittableRandom random = new SplittableRandom(SEED);
    long pages = size / PAGE;
    this.randomOffsets8 = random.longs(randomOps8, 0, pages).map(page -> page * PAGE).toArray();
    this.randomOffsets4k = random.longs(randomOps4k, 0, pages).map(page -> page * PAGE).toArray();
  }

  /**
   * Creates the data under a new directory inside {@code parent} and flushes it to disk: a large
   * file of {@code size} bytes and {@code smallFiles} small ones. The random reads are as many as
   * the large file has pages (8-byte reads; half as many 4 KiB reads), at least 10,000 and at most
   * 500,000. {@code progress} receives the bytes written as they are.
   *
   * @throws IllegalArgumentException if {@code size} is not a multiple of {@link #PAGE} of at least
   *     two pages
   */
  public static IoDataset create(Path parent, long size, int smallFiles, LongConsumer progress)
      throws IOException {
    if (size < 2L * PAGE || size % PAGE != 0) {
      throw new IllegalArgumentException(
          "size must be a multiple of 4096 and at least 8192: size=" + size);
    }
    int randomOps8 = Math.clamp(size / PAGE, 10_000, 500_000);
    int randomOps4k = Math.max(2_500, randomOps8 / 2);
    Files.createDirectories(parent);
    Path directory = Files.createTempDirectory(parent, "mmkit-bench-io-");
    IoDataset dataset = new IoDataset(parent, directory, size, smallFiles, randomOps8, randomOps4k);
    try {
      dataset.writeLargeFile(progress);
      dataset.writeSmallFiles(progress);
      syncEverything();
      return dataset;
    } catch (IOException | RuntimeException e) {
      dataset.close();
      throw e;
    }
  }

  /** Returns the number of bytes {@link #create} writes. */
  public static long bytesToWrite(long size, int smallFiles) {
    return size + (long) smallFiles * SMALL_FILE_BYTES;
  }

  private void writeLargeFile(LongConsumer progress) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocateDirect(WRITE_CHUNK).order(ByteOrder.nativeOrder());
    SplittableRandom random = new SplittableRandom(SEED + 1);
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      for (long written = 0; written < size; ) {
        int n = (int) Math.min(WRITE_CHUNK, size - written);
        chunk.clear();
        while (chunk.position() < n) {
          chunk.putLong(random.nextLong());
        }
        chunk.flip().limit(n);
        while (chunk.hasRemaining()) {
          written += channel.write(chunk);
        }
        progress.accept(n);
      }
      channel.force(true);
    }
  }

  private void writeSmallFiles(LongConsumer progress) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocateDirect(SMALL_FILE_BYTES).order(ByteOrder.nativeOrder());
    SplittableRandom random = new SplittableRandom(SEED + 2);
    for (int i = 0; i < smallFiles.length; i++) {
      if (i % FILES_PER_DIRECTORY == 0) {
        Files.createDirectories(smallFiles[i].getParent());
      }
      chunk.clear();
      while (chunk.hasRemaining()) {
        chunk.putLong(random.nextLong());
      }
      chunk.flip();
      try (FileChannel channel =
          FileChannel.open(
              smallFiles[i], StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        while (chunk.hasRemaining()) {
          channel.write(chunk);
        }
      }
      progress.accept(SMALL_FILE_BYTES);
    }
  }

  /** Flushes the small files to disk so their write-back does not run during the measurement. */
  private static void syncEverything() {
    try {
      new ProcessBuilder("sync").inheritIO().start().waitFor();
    } catch (IOException e) {
      // No sync(1) here: write-back may then overlap the first measurements, nothing worse.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Returns the large file. */
  Path file() {
    return file;
  }

  /** Returns the directory the data was created in (its own directory is inside). */
  Path parent() {
    return parent;
  }

  /** Returns the size of the large file in bytes. */
  public long size() {
    return size;
  }

  /** Returns the small files, in the order every method reads them. */
  Path[] smallFiles() {
    return smallFiles;
  }

  /** Returns the page-aligned offsets of the random 8-byte reads. */
  long[] randomOffsets8() {
    return randomOffsets8;
  }

  /** Returns the page-aligned offsets of the random 4 KiB reads. */
  long[] randomOffsets4k() {
    return randomOffsets4k;
  }

  /** Returns how many bytes one operation of {@code workload} delivers. */
  long bytesPerOperation(IoWorkload workload) {
    return switch (workload) {
      case RANDOM_8 -> 8;
      case RANDOM_4K -> PAGE;
      case SCAN -> size;
      case SMALL_FILES -> SMALL_FILE_BYTES;
    };
  }

  /** Returns how many operations one run of {@code workload} makes. */
  long operations(IoWorkload workload) {
    return switch (workload) {
      case RANDOM_8 -> randomOffsets8.length;
      case RANDOM_4K -> randomOffsets4k.length;
      case SCAN -> 1;
      case SMALL_FILES -> smallFiles.length;
    };
  }

  /** Deletes every file of the dataset. */
  @Override
  public void close() throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
