package dev.mmkit.cli.tour;

import dev.mmkit.cli.Sizes;
import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.MmkitException;
import dev.mmkit.core.TruncatedException;
import java.io.RandomAccessFile;
import java.nio.file.Path;

/**
 * TruncationStep shrinks a file under its mapping, the classic SIGBUS, and shows mmkit turning it
 * into an exception while the JVM carries on.
 */
public final class TruncationStep implements TourStep {
  private static final long SIZE = 64L << 20;
  private static final long NEW_SIZE = 1L << 20;

  @Override
  public String title() {
    return "Truncation under a mapping: a clear exception instead of SIGBUS";
  }

  @Override
  public void run(TourContext context) throws Exception {
    Path path = context.directory().resolve("shrinking.dat");
    try (MappedFile file = MappedFile.create(path, SIZE);
        Mapping mapping = file.map()) {
      mapping.putLong(SIZE - 8, 42);
      context.say(
          "mapped %s; the long at the end reads %d", Sizes.bytes(SIZE), mapping.getLong(SIZE - 8));
      try (MappedFile other = MappedFile.open(path, MapMode.READ_WRITE)) {
        other.truncate(NEW_SIZE);
      } catch (MmkitException refused) {
        context.say("mmkit itself refuses to shrink it while mapped: %s", refused.getMessage());
      }
      try (RandomAccessFile foreign = new RandomAccessFile(path.toFile(), "rw")) {
        foreign.setLength(NEW_SIZE);
      }
      context.say(
          "another program shrank the file to %s behind mmkit's back", Sizes.bytes(NEW_SIZE));
      try {
        mapping.getLong(SIZE - 8);
        throw new IllegalStateException("read past the end did not fail");
      } catch (TruncatedException e) {
        context.say("reading the end now: %s", e.getMessage());
      }
      try {
        mapping.checksum(0, SIZE);
        throw new IllegalStateException("checksum past the end did not fail");
      } catch (TruncatedException e) {
        context.say("a CRC32C over the mapping (fatal in plain Java) fails the same way");
      }
      context.say(
          "the first %s still reads fine: long at 0 = %d; the JVM is alive",
          Sizes.bytes(NEW_SIZE), mapping.getLong(0));
    }
  }
}
