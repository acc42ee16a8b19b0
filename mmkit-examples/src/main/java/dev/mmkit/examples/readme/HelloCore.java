package dev.mmkit.examples.readme;

import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import java.nio.file.Path;

/** Maps a file, writes a long into it, syncs it and asks how much of it is in memory. */
public class HelloCore {
  public static void main(String[] args) {
    try (MappedFile file = MappedFile.open(Path.of(args[0]), MapMode.READ_WRITE);
        Mapping mapping = file.map(0, 1 << 20)) { // grows the file to 1 MiB
      mapping.putLong(0, 42);
      mapping.sync();
      System.out.println(mapping.getLong(0) + ", resident: " + mapping.residency().fraction());
    }
  }
}
