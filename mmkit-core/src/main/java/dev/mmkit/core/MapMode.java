package dev.mmkit.core;

/** MapMode says what a mapping of a file may do and who sees its writes. */
public enum MapMode {
  /**
   * Reads only. Writes through the mapping fail; the file is never extended by mapping it. The
   * range must lie inside the file.
   */
  READ_ONLY,
  /**
   * Reads and writes shared with every other mapping of the file and written back to it. Mapping a
   * range past the end grows the file first, with real block allocation.
   */
  READ_WRITE,
  /**
   * Copy-on-write: writes are visible only through this mapping and never reach the file. Pages not
   * yet written show changes others make to the file. The range must lie inside the file.
   */
  PRIVATE
}
