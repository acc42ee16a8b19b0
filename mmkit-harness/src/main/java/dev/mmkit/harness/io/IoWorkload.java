package dev.mmkit.harness.io;

import java.util.ArrayList;
import java.util.List;

/**
 * IoWorkload is one row of {@code mmkit bench io}: a way of reading files that the usual advice on
 * when mapping beats plain reads has an opinion on. That advice: mapping is a good fit for random
 * access over large files, and a poor one for sequential streaming and for small files.
 */
public enum IoWorkload {
  /** Random 8-byte reads at page-aligned offsets of the large file. */
  RANDOM_8("random-8", "random 8-byte reads", "random access over large files", true, "ops/s"),
  /** Random 4 KiB reads at page-aligned offsets of the large file. */
  RANDOM_4K("random-4k", "random 4 KiB reads", "random access over large files", true, "ops/s"),
  /** One pass over the whole large file, in order. */
  SCAN("scan", "sequential scan", "sequential streaming", false, "GB/s"),
  /** Each small file opened, read whole and closed. */
  SMALL_FILES("small-files", "small files (4 KiB)", "small files", false, "files/s");

  private final String key;
  private final String title;
  private final String adviceTopic;
  private final boolean adviceFavoursMapping;
  private final String unit;

  IoWorkload(
      String key, String title, String adviceTopic, boolean adviceFavoursMapping, String unit) {
    this.key = key;
    this.title = title;
    this.adviceTopic = adviceTopic;
    this.adviceFavoursMapping = adviceFavoursMapping;
    this.unit = unit;
  }

  /**
   * Returns the workloads named by {@code keys} in that order, or all of them when {@code keys} is
   * null or empty.
   *
   * @throws IllegalArgumentException naming the first key that is no workload's
   */
  public static List<IoWorkload> select(List<String> keys) {
    if (keys == null || keys.isEmpty()) {
      return List.of(values());
    }
    List<IoWorkload> selected = new ArrayList<>();
    for (String key : keys) {
      IoWorkload match = null;
      for (IoWorkload workload : values()) {
        if (workload.key.equals(key)) {
          match = workload;
        }
      }
      if (match == null) {
        throw new IllegalArgumentException(
            "unknown workload: workload=" + key + " (random-8, random-4k, scan, small-files)");
      }
      selected.add(match);
    }
    return selected;
  }

  /** Returns the name used on the command line and in JSON. */
  public String key() {
    return key;
  }

  /** Returns the row's title in the table. */
  public String title() {
    return title;
  }

  /** Returns the kind of access the usual advice speaks of, e.g. "sequential streaming". */
  public String adviceTopic() {
    return adviceTopic;
  }

  /** Returns whether the usual advice calls mapping a good fit for this workload. */
  public boolean adviceFavoursMapping() {
    return adviceFavoursMapping;
  }

  /** Returns the unit of the row's headline figure. */
  public String unit() {
    return unit;
  }
}
