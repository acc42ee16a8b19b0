package dev.mmkit.bench.kv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * KvStores names the key-value stores under test, opens them, and tells which JVM flags each one's
 * benchmark fork needs.
 *
 * <p>Adding a store is one adapter class implementing {@link KvStore}, one case in {@link #open}
 * and its name in {@link #NAMES}; mmkit-kv ({@link MmkitKvStore}) was added that way and needs no
 * JVM flag.
 */
public final class KvStores {
  /** The stores, in table order. */
  public static final List<String> NAMES =
      List.of("mmkit-kv", "lmdbjava", "mapdb", "mvstore", "rocksdb");

  /** The stores that take durable writes from many threads at once, in table order. */
  public static final List<String> CONCURRENT_WRITERS = List.of("mmkit-kv", "lmdbjava", "rocksdb");

  private KvStores() {}

  /** Opens (creating if needed) the store {@code name} in {@code directory}. */
  public static KvStore open(String name, Path directory) throws IOException {
    return switch (name) {
      case "mmkit-kv" -> new MmkitKvStore(directory);
      case "lmdbjava" -> new LmdbStore(directory);
      case "mapdb" -> new MapDbStore(directory);
      case "mvstore" -> new MvStoreStore(directory);
      case "rocksdb" -> new RocksDbStore(directory);
      default -> throw new IllegalArgumentException("unknown store: store=" + name);
    };
  }

  /**
   * Returns the JVM flags the fork running store {@code name} needs on JDK 25. lmdbjava 0.9.1 reads
   * direct buffer addresses through reflection into {@code java.nio}; the others need none.
   */
  public static List<String> jvmArgs(String name) {
    if (name.equals("lmdbjava")) {
      return List.of(
          "--add-opens=java.base/java.nio=ALL-UNNAMED",
          "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED");
    }
    return List.of();
  }
}
