package dev.mmkit.examples.core;

import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.Residency;
import dev.mmkit.core.TruncatedException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * CoreExample maps a file, writes it, watches which of its pages are in memory, and then has the
 * file cut in half under the mapping, as another program could: reads past the new end throw {@link
 * TruncatedException} instead of crashing the JVM, and the rest stays readable.
 *
 * <pre>
 * java --enable-native-access=dev.mmkit.core -p MODULE_PATH \
 *     -m dev.mmkit.examples/dev.mmkit.examples.core.CoreExample example.bin
 * </pre>
 */
public final class CoreExample {
  private static final long SIZE = 1 << 20;

  private CoreExample() {}

  /** Runs the example on the file named by the first argument, which must not exist. */
  public static void main(String[] args) throws IOException {
    Path path = Path.of(args[0]);
    try (MappedFile file = MappedFile.create(path, SIZE);
        Mapping mapping = file.map()) {
      for (long offset = 0; offset < SIZE; offset += Long.BYTES) {
        mapping.putLong(offset, offset);
      }
      mapping.sync();
      Residency written = mapping.residency();
      System.out.println("pages=" + written.pages() + " pageSize=" + written.pageSize());
      System.out.println("resident after writing=" + written.residentPages());

      mapping.evict(0, SIZE);
      System.out.println("resident after evict=" + mapping.residency().residentPages());
      mapping.touch(0, SIZE / 2);
      System.out.println(
          "first half resident after touch=" + mapping.residency(0, SIZE / 2).residentPages());

      // Another program shrinks the file under the mapping (mmkit itself never would).
      try (FileChannel other = FileChannel.open(path, StandardOpenOption.WRITE)) {
        other.truncate(SIZE / 2);
      }
      try {
        mapping.getLong(SIZE - Long.BYTES);
      } catch (TruncatedException e) {
        System.out.println("truncated offset=" + e.offset() + " fileSize=" + e.fileSize());
      }
      long last = SIZE / 2 - Long.BYTES;
      System.out.println("still readable " + last + "=" + mapping.getLong(last));
    }
  }
}
