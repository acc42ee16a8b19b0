package dev.mmkit.cli;

import java.util.Locale;

/** Sizes formats byte counts, durations and rates for people. */
public final class Sizes {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  private Sizes() {}

  /** Formats a byte count with a binary unit, for example {@code 1.5 GiB}. */
  public static String bytes(long bytes) {
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  /** Formats a duration in nanoseconds with a fitting unit. */
  public static String nanos(double nanos) {
    if (nanos < 1_000) {
      return String.format(Locale.ROOT, "%.0f ns", nanos);
    }
    if (nanos < 1_000_000) {
      return String.format(Locale.ROOT, "%.1f us", nanos / 1e3);
    }
    if (nanos < 1_000_000_000) {
      return String.format(Locale.ROOT, "%.1f ms", nanos / 1e6);
    }
    return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
  }

  /** Formats a rate in bytes per second as GB/s or MB/s (decimal units, as disks and links do). */
  public static String rate(double bytes, long nanos) {
    double perSecond = bytes * 1e9 / Math.max(1, nanos);
    return perSecond >= 1e9
        ? String.format(Locale.ROOT, "%.2f GB/s", perSecond / 1e9)
        : String.format(Locale.ROOT, "%.1f MB/s", perSecond / 1e6);
  }
}
