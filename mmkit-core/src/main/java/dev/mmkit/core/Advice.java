package dev.mmkit.core;

/**
 * Advice tells the kernel how a range of a mapping will be used ({@code madvise}). Advice is a
 * hint: it never changes what a read returns, except {@link #DONT_NEED} on a private mapping, which
 * {@link Mapping#advise} refuses for that reason. Without {@link Feature#ADVICE} it does nothing.
 */
public enum Advice {
  /** No special treatment; the default read-ahead. */
  NORMAL,
  /** Pages will be accessed in random order: read-ahead is switched off. */
  RANDOM,
  /** Pages will be read in order: read-ahead is made aggressive and read pages are freed early. */
  SEQUENTIAL,
  /**
   * Pages will be needed soon: read-ahead starts now. The kernel reads at most {@code
   * read_ahead_kb} per call, so mmkit issues large ranges in chunks.
   */
  WILL_NEED,
  /**
   * Pages will not be needed soon: they are dropped from this mapping. A shared mapping reads the
   * same contents again later from the page cache.
   */
  DONT_NEED,
  /** Back the range with transparent huge pages where possible. */
  HUGE_PAGES,
  /** Do not back the range with transparent huge pages. */
  NO_HUGE_PAGES
}
