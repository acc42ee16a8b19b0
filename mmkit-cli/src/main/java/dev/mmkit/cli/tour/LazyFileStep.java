package dev.mmkit.cli.tour;

import dev.mmkit.cli.Sizes;
import dev.mmkit.core.Advice;
import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.Residency;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * LazyFileStep maps a file that is not in memory and shows the kernel loading only the pages that
 * are touched.
 */
public final class LazyFileStep implements TourStep {
  private static final long SIZE = 128L << 20;

  @Override
  public String title() {
    return "File mapping: pages load lazily, only where you touch";
  }

  @Override
  public void run(TourContext context) throws IOException {
    Path path = context.directory().resolve("lazy.dat");
    writeFile(path);
    try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY);
        Mapping mapping = file.map()) {
      mapping.evict(0, SIZE);
      mapping.advise(0, SIZE, Advice.RANDOM);
      Residency before = mapping.residency();
      context.say("wrote and mapped %s, then evicted it from the page cache", Sizes.bytes(SIZE));
      report(context, "resident after mapping", before);

      long pageSize = before.pageSize();
      long start = System.nanoTime();
      long sum = 0;
      for (long offset = 0; offset < SIZE / 2; offset += pageSize) {
        sum += mapping.getLong(offset);
      }
      long nanos = System.nanoTime() - start;
      context.say(
          "read one long from each page of the first half: %s, %s per page (sum=%d)",
          Sizes.nanos(nanos), Sizes.nanos((double) nanos / (before.pages() / 2)), sum);
      report(context, "resident after touching half", mapping.residency());

      start = System.nanoTime();
      mapping.touch(SIZE / 2, SIZE / 2);
      nanos = System.nanoTime() - start;
      context.say(
          "prefaulted the second half in one call (touch): %s, %s per page",
          Sizes.nanos(nanos), Sizes.nanos((double) nanos / (before.pages() / 2)));
      report(context, "resident after touch", mapping.residency());
    }
  }

  private static void report(TourContext context, String label, Residency residency) {
    if (!residency.isKnown()) {
      context.say("%s: unknown on this platform", label);
      return;
    }
    context.say(
        "%-30s %6d of %d pages (%5.1f%%) [%s]",
        label + ":",
        residency.residentPages(),
        residency.pages(),
        residency.fraction() * 100,
        residency.picture(40));
  }

  private static void writeFile(Path path) throws IOException {
    try (FileChannel channel =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocateDirect(1 << 20);
      for (long written = 0; written < SIZE; written += block.capacity()) {
        block.clear();
        while (block.hasRemaining()) {
          block.putLong(written + block.position());
        }
        block.flip();
        while (block.hasRemaining()) {
          channel.write(block);
        }
      }
      channel.force(false);
    }
  }
}
