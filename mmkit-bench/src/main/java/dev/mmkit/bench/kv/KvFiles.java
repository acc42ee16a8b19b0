package dev.mmkit.bench.kv;

import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * KvFiles manages the stores' files for the benchmarks: one prebuilt store per name and size, kept
 * under the data directory between forks, copies of it, sizes on disk, and dropping them from the
 * page cache for the cold-cache variant.
 */
public final class KvFiles {
  /** System property naming the data directory; default {@code target/bench-data}. */
  public static final String DATA_PROPERTY = "mmkit.bench.data";

  private static final String COMPLETE = ".complete";

  private KvFiles() {}

  /** Returns the data directory. */
  public static Path dataDirectory() {
    return Path.of(System.getProperty(DATA_PROPERTY, "target/bench-data")).toAbsolutePath();
  }

  /**
   * Returns the directory of store {@code name} loaded with {@code entries} pairs, building it (a
   * bulk load in random order) and verifying it ({@link KvVerification}) when an earlier fork has
   * not.
   */
  public static Path prebuilt(String name, int entries) throws IOException {
    Path directory = dataDirectory().resolve("kv").resolve(name + "-" + entries);
    if (Files.exists(directory.resolve(COMPLETE))) {
      return directory;
    }
    delete(directory);
    Files.createDirectories(directory);
    try (KvStore store = KvStores.open(name, directory)) {
      store.load(new KvDataset(entries).loadOrder());
      store.flush();
      KvVerification.verify(store, entries);
    }
    Files.writeString(directory.resolve(COMPLETE), "", StandardCharsets.UTF_8);
    return directory;
  }

  /**
   * Copies a store's directory to {@code target}, which must not exist, and flushes the copies to
   * the disk: a benchmark of durable commits that starts on a freshly copied store must not pay for
   * writing back the copy on its first flush.
   */
  public static void copy(Path source, Path target) throws IOException {
    try (Stream<Path> paths = Files.walk(source)) {
      for (Path path : paths.toList()) {
        Path to = target.resolve(source.relativize(path).toString());
        if (Files.isDirectory(path)) {
          Files.createDirectories(to);
        } else {
          Files.copy(path, to, StandardCopyOption.COPY_ATTRIBUTES);
          try (FileChannel copy = FileChannel.open(to, StandardOpenOption.WRITE)) {
            copy.force(true);
          }
        }
      }
    }
  }

  /**
   * Drops every file of a closed store from the page cache (mmkit's {@link Mapping#evict}, which
   * ends in {@code posix_fadvise(DONTNEED)}), so the next reads come from the disk.
   */
  public static void dropFromPageCache(Path directory) throws IOException {
    for (Path file : files(directory)) {
      if (Files.size(file) == 0) {
        continue;
      }
      try (MappedFile mapped = MappedFile.open(file, MapMode.READ_ONLY);
          Mapping mapping = mapped.map()) {
        mapping.evict(0, mapping.size());
      }
    }
  }

  /**
   * Returns the share of the store's bytes that are in the page cache now (mmkit's {@link
   * Mapping#residency}, {@code mincore}), or -1 when residency cannot be known here.
   */
  public static double residentFraction(Path directory) throws IOException {
    long pages = 0;
    long resident = 0;
    for (Path file : files(directory)) {
      if (Files.size(file) == 0) {
        continue;
      }
      try (MappedFile mapped = MappedFile.open(file, MapMode.READ_ONLY);
          Mapping mapping = mapped.map()) {
        dev.mmkit.core.Residency residency = mapping.residency();
        if (!residency.isKnown()) {
          return -1;
        }
        pages += residency.pages();
        resident += residency.residentPages();
      }
    }
    return pages == 0 ? 0 : (double) resident / pages;
  }

  /** Returns the apparent size of the store's files in bytes. */
  public static long apparentBytes(Path directory) throws IOException {
    long total = 0;
    for (Path file : files(directory)) {
      total += Files.size(file);
    }
    return total;
  }

  /** Returns the disk blocks the store's files occupy, in bytes ({@code du}), or -1. */
  public static long allocatedBytes(Path directory) {
    try {
      Process du =
          new ProcessBuilder("du", "-s", "--block-size=1", directory.toString())
              .redirectErrorStream(true)
              .start();
      String out = new String(du.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return du.waitFor() == 0 ? Long.parseLong(out.trim().split("\\s+")[0]) : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** Appends one line to a results file of the data directory. */
  public static void record(String fileName, String line) throws IOException {
    Path file = dataDirectory().resolve(fileName);
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        line + System.lineSeparator(),
        StandardCharsets.UTF_8,
        StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
  }

  private static List<Path> files(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      return paths.filter(Files::isRegularFile).toList();
    }
  }

  /** Deletes a directory tree if it exists. */
  public static void delete(Path directory) throws IOException {
    if (!Files.exists(directory)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
