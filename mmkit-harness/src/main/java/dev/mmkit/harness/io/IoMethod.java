package dev.mmkit.harness.io;

/** IoMethod is one way to read a file that {@code mmkit bench io} compares. */
public enum IoMethod {
  MAPPED("mapped", "mapped", "a MemorySegment from FileChannel.map", true),
  CHANNEL("channel", "FileChannel", "FileChannel.read at a position into a direct buffer", false),
  RANDOM_ACCESS_FILE("raf", "RandomAccess", "RandomAccessFile seek + readFully", false),
  STREAM("stream", "buffered", "BufferedInputStream over FileInputStream", false),
  ADAPTIVE("adaptive", "adaptive", "mmkit AdaptiveReader (picks per workload)", false);

  private final String key;
  private final String column;
  private final String description;
  private final boolean mapping;

  IoMethod(String key, String column, String description, boolean mapping) {
    this.key = key;
    this.column = column;
    this.description = description;
    this.mapping = mapping;
  }

  /** Returns the name used in JSON. */
  String key() {
    return key;
  }

  /** Returns the short column header of the table. */
  String column() {
    return column;
  }

  /** Returns what the method does, one line. */
  String description() {
    return description;
  }

  /** Returns whether the method is one of the plain reads that mapping is compared against. */
  boolean isPlainRead() {
    return !mapping && this != ADAPTIVE;
  }
}
