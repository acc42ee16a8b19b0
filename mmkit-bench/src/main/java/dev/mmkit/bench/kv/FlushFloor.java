package dev.mmkit.bench.kv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * FlushFloor measures what the disk under a directory allows a durable commit, with no store at
 * all: how many times per second it can write a given pattern and flush it with {@code fdatasync}.
 * A copy-on-write B+tree commit of one put writes a leaf, its branches, the root bucket's leaf, a
 * freelist page and a meta page, scattered over the file; a log-structured store appends a few
 * hundred bytes. The rates here are the ceilings those two shapes of commit run into on this disk.
 *
 * <p>Arguments: a directory for a 140 MiB scratch file (deleted afterwards), and the number of
 * flushes per pattern (default 2000).
 */
public final class FlushFloor {
  private static final int PAGE = 4096;
  private static final long PAGES = 35_840;

  private FlushFloor() {}

  /** Prints one line per pattern: its name and flushes per second. */
  public static void main(String[] args) throws IOException {
    Path file = Files.createTempFile(Path.of(args[0]), "flush-floor", ".bin");
    int flushes = args.length > 1 ? Integer.parseInt(args[1]) : 2000;
    try (FileChannel ch =
        FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      ByteBuffer zeros = ByteBuffer.allocateDirect(1 << 20);
      for (long at = 0; at < PAGES * PAGE; at += zeros.capacity()) {
        ch.write(zeros.clear(), at);
      }
      ch.force(true);
      report("append 128 bytes to a growing file", append(ch, flushes));
      report("overwrite 1 page", overwrite(ch, flushes, 1, false));
      report("overwrite 5 contiguous pages and a meta page", overwrite(ch, flushes, 5, true));
      report("overwrite 5 scattered pages and a meta page", scattered(ch, flushes, 5));
      report("overwrite 10 scattered pages and a meta page", scattered(ch, flushes, 10));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static double append(FileChannel ch, int flushes) throws IOException {
    ByteBuffer record = ByteBuffer.allocateDirect(128);
    long at = PAGES * PAGE;
    long start = System.nanoTime();
    for (int i = 0; i < flushes; i++) {
      ch.write(record.clear(), at);
      at += 128;
      ch.force(false);
    }
    return flushes * 1e9 / (System.nanoTime() - start);
  }

  private static double overwrite(FileChannel ch, int flushes, int pages, boolean meta)
      throws IOException {
    ByteBuffer run = ByteBuffer.allocateDirect(pages * PAGE);
    ByteBuffer page = ByteBuffer.allocateDirect(PAGE);
    SplittableRandom random = new SplittableRandom(1);
    long start = System.nanoTime();
    for (int i = 0; i < flushes; i++) {
      ch.write(run.clear(), (2 + random.nextLong(PAGES - pages - 2)) * PAGE);
      if (meta) {
        ch.write(page.clear(), (i & 1) * PAGE);
      }
      ch.force(false);
    }
    return flushes * 1e9 / (System.nanoTime() - start);
  }

  private static double scattered(FileChannel ch, int flushes, int pages) throws IOException {
    ByteBuffer page = ByteBuffer.allocateDirect(PAGE);
    SplittableRandom random = new SplittableRandom(2);
    long start = System.nanoTime();
    for (int i = 0; i < flushes; i++) {
      for (int p = 0; p < pages; p++) {
        ch.write(page.clear(), (2 + random.nextLong(PAGES - 2)) * PAGE);
      }
      ch.write(page.clear(), (i & 1) * PAGE);
      ch.force(false);
    }
    return flushes * 1e9 / (System.nanoTime() - start);
  }

  private static void report(String pattern, double perSecond) {
    System.out.printf(Locale.ROOT, "| %s | %,.0f |%n", pattern, perSecond);
  }
}
