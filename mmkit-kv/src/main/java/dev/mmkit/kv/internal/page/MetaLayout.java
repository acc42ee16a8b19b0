package dev.mmkit.kv.internal.page;

/**
 * MetaLayout describes the two meta pages, ids 0 and 1, that make commits atomic. A commit writes
 * its pages and then the meta page of parity {@code txid % 2}; a commit's durability comes from the
 * write-ahead log ({@link LogLayout}), whose header slots hold meta pages of this layout too, and
 * at the first open after a restart the log's replay rewrites both meta pages. After that, the
 * database is the valid meta (magic, version, checksum) with the higher txid whose commit is whole:
 * the freelist record it names (written by the same commit, so carrying its txid) lists every page
 * that commit wrote, and each must be present with its checksum and that txid. Otherwise — a flush
 * cut short by a power loss, which may keep any subset of the writes, torn at sector boundaries —
 * the other meta is used, whose pages the newer commit never overwrote: a commit allocates only
 * pages that no commit since the older meta's can reach.
 *
 * <pre>
 *   0        32             40        44          48              56
 *   +--------+--------------+---------+-----------+---------------+
 *   | header | magic        | version | page size | page count    |
 *   |        | u64          | u32     | u32       | u64           |
 *   +--------+--------------+---------+-----------+---------------+
 *   56                                  88                 96                104
 *   +-----------------------------------+------------------+------------------+
 *   | root bucket header (32 bytes)     | freelist head    | freelist head    |
 *   | root id, root txid, seq, count    | page id u64      | txid u64         |
 *   +-----------------------------------+------------------+------------------+
 *   104              108              112              120              128      pageSize
 *   +----------------+----------------+----------------+----------------+---------+
 *   | delta pages    | checkpoint     | log end        | database id    | zeros   |
 *   | u32            | pages u32      | u64            | u64            |         |
 *   +----------------+----------------+----------------+----------------+---------+
 * </pre>
 *
 * <ul>
 *   <li>The header's txid is the commit's transaction id; its page id is 0 or 1; its checksum
 *       covers the whole page.
 *   <li><b>page count</b>: pages {@code [0, page count)} belong to the database; the file may be
 *       longer (space grown ahead or not yet trimmed) but never shorter.
 *   <li><b>root bucket header</b>: the top-level bucket, as in {@link NodeLayout}.
 *   <li><b>freelist head</b>: the newest page of the freelist chain ({@link FreelistLayout}), 0
 *       when the database has never committed.
 *   <li><b>delta pages</b>, <b>checkpoint pages</b>: lengths of the chain's parts, used to decide
 *       when to write a new checkpoint.
 *   <li><b>log end</b>: the offset in the write-ahead log ({@link LogLayout}) just past the record
 *       of this commit, where the next commit's record goes; {@link LogLayout#records} for a commit
 *       that is a checkpoint.
 * </ul>
 *
 * <p>{@link Meta} encodes and decodes the meta page.
 */
public final class MetaLayout {
  /** The magic number, the ASCII bytes {@code mmkv-db1} read as a little-endian u64. */
  public static final long MAGIC = 0x3162642D766B6D6DL;

  /** The format version this code writes and reads. */
  public static final int VERSION = 3;

  /** Offset of the magic number. */
  public static final int MAGIC_OFFSET = 32;

  /** Offset of the version. */
  public static final int VERSION_OFFSET = 40;

  /** Offset of the page size. */
  public static final int PAGE_SIZE = 44;

  /** Offset of the page count. */
  public static final int PAGE_COUNT = 48;

  /** Offset of the root bucket header. */
  public static final int ROOT_BUCKET = 56;

  /** Offset of the freelist head page id. */
  public static final int FREELIST_HEAD = 88;

  /** Offset of the freelist head txid. */
  public static final int FREELIST_HEAD_TXID = 96;

  /** Offset of the number of delta pages in the freelist chain. */
  public static final int DELTA_PAGES = 104;

  /** Offset of the number of checkpoint pages in the freelist chain. */
  public static final int CHECKPOINT_PAGES = 108;

  /** Offset of the log end. */
  public static final int LOG_END = 112;

  /** Offset of the database id. */
  public static final int DATABASE_ID = 120;

  /** Bytes of the meta page that hold fields; the rest is zero. */
  public static final int USED = 128;

  private MetaLayout() {}
}
