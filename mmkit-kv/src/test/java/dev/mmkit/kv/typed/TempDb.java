package dev.mmkit.kv.typed;

import dev.mmkit.kv.Db;
import dev.mmkit.kv.DbOptions;
import dev.mmkit.kv.Durability;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * TempDb is a database in a fresh temporary directory, deleted with the directory on close: one per
 * property try. Commits do not flush (nothing here is about durability).
 */
final class TempDb implements AutoCloseable {
  private final Path dir;
  private final Db db;

  TempDb() {
    try {
      dir = Files.createTempDirectory("mmkit-typed-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    db = Db.open(dir.resolve("typed.db"), DbOptions.defaults().durability(Durability.NO_SYNC));
  }

  Db db() {
    return db;
  }

  @Override
  public void close() {
    db.close();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
