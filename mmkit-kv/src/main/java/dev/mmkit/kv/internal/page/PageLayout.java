package dev.mmkit.kv.internal.page;

/**
 * PageLayout describes the 32-byte header every page of a database file starts with, and the page
 * types. All integers in the data file are little-endian.
 *
 * <pre>
 *   0         4      5       6         8                 16                24          28          32
 *   +---------+------+-------+---------+-----------------+-----------------+-----------+-----------+
 *   | crc32c  | type | level | count   | page id         | txid            | overflow  | length    |
 *   | u32     | u8   | u8    | u16     | u64             | u64             | u32       | u32       |
 *   +---------+------+-------+---------+-----------------+-----------------+-----------+-----------+
 * </pre>
 *
 * <ul>
 *   <li><b>crc32c</b>: CRC32C of every byte of the page run after this field, {@code [4, (1 +
 *       overflow) * pageSize)}, unused bytes included (they are written as zeros).
 *   <li><b>type</b>: {@link #META}, {@link #BRANCH}, {@link #LEAF}, {@link #OVERFLOW} or {@link
 *       #FREELIST}.
 *   <li><b>level</b>: height of a tree page above the leaves (0 for leaves, at least 1 for
 *       branches); 0 for other types. A child is always exactly one level below its parent, so a
 *       walk down a tree cannot loop.
 *   <li><b>count</b>: elements of a branch or leaf page, longs of a freelist page, 0 otherwise.
 *   <li><b>page id</b>: the page's own number; a page found at another place is corrupt.
 *   <li><b>txid</b>: the transaction that wrote the page. Every reference to a page (branch
 *       element, overflow reference, bucket header, meta, freelist link) carries the txid it
 *       expects, so a stale or misplaced page with a valid checksum is still detected.
 *   <li><b>overflow</b>: pages that follow this one in the same run (overflow values); 0 otherwise.
 *   <li><b>length</b>: the value length of an overflow run; bytes used by a branch or leaf page; 0
 *       otherwise.
 * </ul>
 */
public final class PageLayout {
  /** Offset of the checksum. */
  public static final int CHECKSUM = 0;

  /** Offset of the page type. */
  public static final int TYPE = 4;

  /** Offset of the level. */
  public static final int LEVEL = 5;

  /** Offset of the element count. */
  public static final int COUNT = 6;

  /** Offset of the page id. */
  public static final int PAGE_ID = 8;

  /** Offset of the txid of the transaction that wrote the page. */
  public static final int TXID = 16;

  /** Offset of the number of extra pages in the run. */
  public static final int OVERFLOW = 24;

  /** Offset of the length field. */
  public static final int LENGTH = 28;

  /** Size of the header. */
  public static final int HEADER_SIZE = 32;

  /** Type of the two meta pages, ids 0 and 1. */
  public static final int META = 1;

  /** Type of a branch page of a B+tree. */
  public static final int BRANCH = 2;

  /** Type of a leaf page of a B+tree. */
  public static final int LEAF = 3;

  /** Type of the first page of a run holding one large value. */
  public static final int OVERFLOW_TYPE = 4;

  /** Type of a page of the freelist chain. */
  public static final int FREELIST = 5;

  /** Smallest page size a database may use. */
  public static final int MIN_PAGE_SIZE = 4096;

  /** Largest page size a database may use (offsets inside a page are 16-bit). */
  public static final int MAX_PAGE_SIZE = 32768;

  /** Deepest tree accepted; a deeper one is corrupt (a fan-out of 2 over 2^31 pages needs 31). */
  public static final int MAX_LEVEL = 48;

  private PageLayout() {}

  /** Returns a name for a page type, for messages. */
  public static String typeName(int type) {
    return switch (type) {
      case META -> "meta";
      case BRANCH -> "branch";
      case LEAF -> "leaf";
      case OVERFLOW_TYPE -> "overflow";
      case FREELIST -> "freelist";
      default -> "unknown(" + type + ")";
    };
  }

  /**
   * Writes the fields of a page header that every page kind sets into the zeroed buffer {@code b};
   * the checksum, overflow and length fields are left to the page's codec.
   */
  public static void writeHeader(byte[] b, int type, int level, int count, long page, long txid) {
    b[TYPE] = (byte) type;
    b[LEVEL] = (byte) level;
    Bytes.putU16(b, COUNT, count);
    Bytes.putLong(b, PAGE_ID, page);
    Bytes.putLong(b, TXID, txid);
  }

  /** Returns whether {@code pageSize} is a supported page size: a power of two in range. */
  public static boolean isValidPageSize(long pageSize) {
    return pageSize >= MIN_PAGE_SIZE && pageSize <= MAX_PAGE_SIZE && Long.bitCount(pageSize) == 1;
  }
}
