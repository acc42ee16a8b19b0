package dev.mmkit.core;

import java.util.BitSet;

/**
 * Residency is a snapshot of which pages of a range were in memory ({@code mincore}) when it was
 * taken. It is a copy: it does not change when pages come and go afterwards. When {@link
 * Feature#RESIDENCY} is not live the snapshot is unknown: {@link #isKnown()} is false and every
 * count is -1.
 */
public final class Residency {
  private final long pageSize;
  private final long pages;
  private final BitSet resident;

  private Residency(long pageSize, long pages, BitSet resident) {
    this.pageSize = pageSize;
    this.pages = pages;
    this.resident = resident;
  }

  static Residency known(long pageSize, long pages, BitSet resident) {
    return new Residency(pageSize, pages, resident);
  }

  static Residency unknown(long pageSize, long pages) {
    return new Residency(pageSize, pages, null);
  }

  /** Returns whether residency could be measured on this platform. */
  public boolean isKnown() {
    return resident != null;
  }

  /** Returns the page size the snapshot counts in. */
  public long pageSize() {
    return pageSize;
  }

  /** Returns the number of pages in the range. */
  public long pages() {
    return pages;
  }

  /** Returns how many pages were resident, or -1 when unknown. */
  public long residentPages() {
    return resident == null ? -1 : resident.cardinality();
  }

  /** Returns the resident fraction between 0 and 1, or -1 when unknown. */
  public double fraction() {
    return resident == null ? -1 : pages == 0 ? 0 : (double) resident.cardinality() / pages;
  }

  /**
   * Returns whether page {@code page} (counted from the start of the range) was resident.
   *
   * @throws IllegalStateException when residency is unknown
   */
  public boolean isResident(long page) {
    if (resident == null) {
      throw new IllegalStateException("residency is unknown on this platform");
    }
    if (page < 0 || page >= pages) {
      throw new IndexOutOfBoundsException("page=" + page + ", pages=" + pages);
    }
    return resident.get(Math.toIntExact(page));
  }

  /**
   * Draws where the resident pages lie in {@code width} characters: each character stands for an
   * equal share of the pages and shows {@code O} when all of them are resident, {@code o} when at
   * least half, {@code .} when some and a space when none. Unknown residency draws {@code ?}.
   */
  public String picture(int width) {
    if (width <= 0) {
      throw new IllegalArgumentException("width=" + width);
    }
    StringBuilder out = new StringBuilder(width);
    int columns = (int) Math.min(width, Math.max(1, pages));
    for (int column = 0; column < columns; column++) {
      long from = pages * column / columns;
      long to = Math.max(from + 1, pages * (column + 1) / columns);
      out.append(cell(from, Math.min(to, pages)));
    }
    return out.toString();
  }

  private char cell(long from, long to) {
    if (resident == null) {
      return '?';
    }
    if (to <= from) {
      return ' ';
    }
    long count = resident.get((int) from, (int) to).cardinality();
    long span = to - from;
    return count == span ? 'O' : count * 2 >= span ? 'o' : count > 0 ? '.' : ' ';
  }
}
