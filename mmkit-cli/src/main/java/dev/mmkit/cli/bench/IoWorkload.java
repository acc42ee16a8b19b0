package dev.mmkit.cli.bench;

/**
 * IoWorkload is one row of the seed's table "when mmap wins — and when it doesn't", as {@code mmkit
 * bench io} measures it.
 */
enum IoWorkload {
  RANDOM_8("random-8", "random 8-byte reads", "random access over large files", true, "ops/s"),
  RANDOM_4K("random-4k", "random 4 KiB reads", "random access over large files", true, "ops/s"),
  SCAN("scan", "sequential scan", "sequential streaming", false, "GB/s"),
  SMALL_FILES("small-files", "small files (4 KiB)", "small files", false, "files/s");

  private final String key;
  private final String title;
  private final String seedRow;
  private final boolean seedSaysMapping;
  private final String unit;

  IoWorkload(String key, String title, String seedRow, boolean seedSaysMapping, String unit) {
    this.key = key;
    this.title = title;
    this.seedRow = seedRow;
    this.seedSaysMapping = seedSaysMapping;
    this.unit = unit;
  }

  /** Returns the name used in JSON. */
  String key() {
    return key;
  }

  /** Returns the row's title in the table. */
  String title() {
    return title;
  }

  /** Returns the seed's row this workload measures. */
  String seedRow() {
    return seedRow;
  }

  /** Returns whether the seed calls mapping a good fit for this workload. */
  boolean seedSaysMapping() {
    return seedSaysMapping;
  }

  /** Returns the unit of the row's headline figure. */
  String unit() {
    return unit;
  }
}
