package dev.mmkit.kv.internal.page;

/**
 * NodeLayout describes branch and leaf pages, the nodes of the copy-on-write B+trees that hold
 * buckets. After the {@link PageLayout} header comes a fixed-size element per entry, in key order,
 * then the variable-length data the elements point to.
 *
 * <pre>
 * leaf page
 *   0        32                     32 + 12 * count                                      pageSize
 *   +--------+----------------------+------------------------------------------------+--------+
 *   | header | element 0 .. count-1 | key 0, value 0 | key 1, value 1 | ...           | zeros  |
 *   +--------+----------------------+------------------------------------------------+--------+
 *
 * leaf element (12 bytes)
 *   0            2            4                8       9            12
 *   +------------+------------+----------------+-------+------------+
 *   | key offset | key length | value length   | flags | zero       |
 *   | u16        | u16        | u32            | u8    | 3 bytes    |
 *   +------------+------------+----------------+-------+------------+
 *
 * what follows the key, by flags
 *   0 INLINE    the value, value length bytes
 *   1 OVERFLOW  u64 first page id, u64 txid of an overflow run holding the value (value length is
 *               the value's length)
 *   2 BUCKET    a 32-byte bucket header (value length 32):
 *               u64 root page id (0 = empty), u64 root txid, u64 sequence, u64 key count
 *
 * branch page
 *   0        32                     32 + 20 * count                                      pageSize
 *   +--------+----------------------+------------------------------------------------+--------+
 *   | header | element 0 .. count-1 | key 0 | key 1 | ...                            | zeros  |
 *   +--------+----------------------+------------------------------------------------+--------+
 *
 * branch element (20 bytes)
 *   0                  8                  16           18           20
 *   +------------------+------------------+------------+------------+
 *   | child page id    | child txid       | key offset | key length |
 *   | u64              | u64              | u16        | u16        |
 *   +------------------+------------------+------------+------------+
 * </pre>
 *
 * <p>Element {@code i} of a branch covers keys from its key up to the key of element {@code i + 1};
 * element 0 also covers every smaller key. Keys in a page are strictly increasing. Every entry of a
 * leaf takes at most half of a page's payload: larger values go to an overflow run, which holds the
 * header followed by the value bytes and spans {@code ceil((32 + length) / pageSize)} pages.
 *
 * <p>{@link LeafPage}, {@link BranchPage} and {@link OverflowPage} encode and decode these pages.
 */
public final class NodeLayout {
  /** Size of a leaf element. */
  public static final int LEAF_ELEMENT = 12;

  /** Offset of the key offset in an element (leaf) . */
  public static final int LEAF_KEY_OFFSET = 0;

  /** Offset of the key length in a leaf element. */
  public static final int LEAF_KEY_LENGTH = 2;

  /** Offset of the value length in a leaf element. */
  public static final int LEAF_VALUE_LENGTH = 4;

  /** Offset of the flags in a leaf element. */
  public static final int LEAF_FLAGS = 8;

  /** Size of a branch element. */
  public static final int BRANCH_ELEMENT = 20;

  /** Offset of the child page id in a branch element. */
  public static final int BRANCH_CHILD = 0;

  /** Offset of the child txid in a branch element. */
  public static final int BRANCH_CHILD_TXID = 8;

  /** Offset of the key offset in a branch element. */
  public static final int BRANCH_KEY_OFFSET = 16;

  /** Offset of the key length in a branch element. */
  public static final int BRANCH_KEY_LENGTH = 18;

  /** Flags of an entry whose value follows its key. */
  public static final int INLINE = 0;

  /** Flags of an entry whose value is in an overflow run. */
  public static final int OVERFLOW = 1;

  /** Flags of an entry that is a nested bucket. */
  public static final int BUCKET = 2;

  /** Bytes an overflow reference takes after the key. */
  public static final int OVERFLOW_REF = 16;

  /** Size of a bucket header. */
  public static final int BUCKET_HEADER = 32;

  /** Offset of the root page id in a bucket header. */
  public static final int BUCKET_ROOT = 0;

  /** Offset of the root txid in a bucket header. */
  public static final int BUCKET_ROOT_TXID = 8;

  /** Offset of the sequence in a bucket header. */
  public static final int BUCKET_SEQUENCE = 16;

  /** Offset of the key count in a bucket header. */
  public static final int BUCKET_COUNT = 24;

  /** Largest key accepted, in bytes, for every supported page size. */
  public static final int MAX_KEY_SIZE = 1024;

  /** Deepest nesting of buckets: a bucket in the root bucket is at depth 1. */
  public static final int MAX_BUCKET_DEPTH = 64;

  /** Largest value accepted, in bytes (1 GiB). */
  public static final int MAX_VALUE_SIZE = 1 << 30;

  private NodeLayout() {}

  /** Returns the largest leaf entry (element, key and stored value) kept inside a page. */
  public static int maxInlineEntry(int pageSize) {
    return (pageSize - PageLayout.HEADER_SIZE) / 2;
  }

  /** Returns the number of pages of an overflow run holding {@code length} value bytes. */
  public static long overflowPages(long length, int pageSize) {
    return (PageLayout.HEADER_SIZE + length + pageSize - 1) / pageSize;
  }
}
