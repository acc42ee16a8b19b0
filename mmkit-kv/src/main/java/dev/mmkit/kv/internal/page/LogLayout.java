package dev.mmkit.kv.internal.page;

/**
 * LogLayout describes the write-ahead log beside a database ({@code NAME-wal}). A small durable
 * commit does not flush the data file: it writes its pages there without a flush, appends one
 * record holding the same pages to the log, and flushes only the log — one sequential write and one
 * {@code fdatasync} in a file whose space was written ahead, instead of scattered pages. A commit
 * whose record would not fit in the log, and the first commit after the log is full, is a
 * <b>checkpoint</b>: it flushes the data file (every page written since the last checkpoint), makes
 * its meta page the log's header and starts the log over.
 *
 * <pre>
 *   0                  pageSize            2 * pageSize                                   end
 *   +------------------+-------------------+-------------+-------------+-----+------------+
 *   | header slot 0    | header slot 1     | record      | record      | ... | zeros or   |
 *   | (a meta page)    | (a meta page)     | (txid c+1)  | (txid c+2)  |     | old records|
 *   +------------------+-------------------+-------------+-------------+-----+------------+
 * </pre>
 *
 * <ul>
 *   <li><b>header slots</b>: each is the meta page of a checkpoint exactly as {@link MetaLayout}
 *       encodes it (its log end is {@link #records}); the valid one with the higher txid is the
 *       current checkpoint. A new checkpoint overwrites the other slot, so a torn header write
 *       leaves the previous one.
 *   <li><b>records</b> start at {@link #records} and follow each other with no gap. The first
 *       builds on the header's checkpoint, each next one on the one before ({@link #BASE_TXID}):
 *       the chain ends at the first record that is not the next link — zeros, a record left from
 *       before the last checkpoint, or one torn by a power loss.
 * </ul>
 *
 * <p>A record, its integers little-endian:
 *
 * <pre>
 *   0        4        8                16               24               32          36        40
 *   +--------+--------+----------------+----------------+----------------+-----------+---------+
 *   | magic  | crc32c | txid u64       | base txid u64  | length u64     | run count | zero    |
 *   | u32    | u32    |                |                | (whole record) | u32       | u32     |
 *   +--------+--------+----------------+----------------+----------------+-----------+---------+
 *   40: runs, back to back, each:
 *   +----------------+----------------+--------------------------------------------+
 *   | first page u64 | page count u64 | the pages' bytes (page count * pageSize)   |
 *   +----------------+----------------+--------------------------------------------+
 * </pre>
 *
 * <ul>
 *   <li><b>crc32c</b>: of bytes {@code [8, length)}.
 *   <li><b>txid</b>, <b>base txid</b>: the commit and the commit it builds on.
 *   <li><b>runs</b>: every page the commit wrote to the data file, consecutive pages in one run;
 *       the last run is its meta page (page 0 or 1, one page). Replaying a record writes each run
 *       at its place in the data file.
 * </ul>
 *
 * <p>At the first open after the machine restarted, the data file may hold any subset of the
 * unflushed writes since the last checkpoint, torn at sector boundaries. The open writes the
 * checkpoint's meta page and then every record of the chain over the data file, in order; pages no
 * record names were last written before the checkpoint, which flushed them. {@link LogRecord}
 * encodes and decodes records.
 */
public final class LogLayout {
  /** The record magic number, the ASCII bytes {@code mmkr} read as a little-endian u32. */
  public static final int MAGIC = 0x726B6D6D;

  /** Offset of the checksum. */
  public static final int CHECKSUM = 4;

  /** Offset of the txid. */
  public static final int TXID = 8;

  /** Offset of the txid of the commit the record builds on. */
  public static final int BASE_TXID = 16;

  /** Offset of the length of the whole record. */
  public static final int LENGTH = 24;

  /** Offset of the number of runs. */
  public static final int RUN_COUNT = 32;

  /** Size of the record header. */
  public static final int HEADER_SIZE = 40;

  /** Size of a run's header (first page, page count). */
  public static final int RUN_HEADER_SIZE = 16;

  /** Number of header slots. */
  public static final int HEADER_SLOTS = 2;

  private LogLayout() {}

  /** Returns the offset of the first record in a log of a database with {@code pageSize}. */
  public static long records(int pageSize) {
    return (long) HEADER_SLOTS * pageSize;
  }
}
