package dev.mmkit.kv.internal.page;

/**
 * FreelistLayout describes the freelist: a chain of pages, newest first, holding one record per
 * commit (a delta) back to the newest full record (a checkpoint). A commit appends a small delta
 * instead of rewriting the whole list; when the deltas would outgrow four times the checkpoint (at
 * least 16 pages), a commit writes a new checkpoint and frees the old chain. Replaying the
 * checkpoint and then the deltas, oldest first, gives the free pages and the pending pages (freed,
 * but maybe still seen by a reader).
 *
 * <p>Every record, delta or checkpoint, also lists the pages its commit wrote (besides the record's
 * own pages): the tree pages and overflow runs, reused or new. The meta page names the record as
 * the freelist head with the commit's txid, so opening a database can tell whether its newest
 * commit reached the disk whole — every page it lists present, with its checksum and that txid —
 * without a second flush before the meta page is written.
 *
 * <pre>
 * freelist page
 *   0        32                48                48 + 8 * count                     pageSize
 *   +--------+-----------------+-----------------+----------------------------------+--------+
 *   | header | next page id    | next txid       | count longs of the record stream | zeros  |
 *   |        | u64 (0 = end)   | u64             |                                  |        |
 *   +--------+-----------------+-----------------+----------------------------------+--------+
 * </pre>
 *
 * <p>Each record starts on a fresh page and may span several consecutive pages of the chain. Its
 * longs:
 *
 * <pre>
 * delta      kind=1 &lt;&lt; 56 | pages &lt;&lt; 32 | length, txid, page count, matured txid, w, f,
 *            w written runs, f freed runs
 * checkpoint kind=2 &lt;&lt; 56 | pages &lt;&lt; 32 | length, txid, page count, w, w written runs,
 *            n, n free runs, g, then g groups of: txid, r, r pending runs
 *            (txids ascending, none after the record's)
 * run        first page id (low 40 bits) | (pages - 1) &lt;&lt; 40
 * </pre>
 *
 * <p>Replaying a delta: move pending groups with txid at most the matured txid to the free set,
 * remove the written pages below the previous page count and the record's own pages from it (each
 * must have been free), add the freed runs as the pending group of the delta's txid, then set the
 * page count and drop free pages at or past it. A checkpoint replaces the whole state; neither its
 * written pages nor its own pages are in it. The chain's pages stay in use until the next
 * checkpoint frees them.
 *
 * <p>{@link FreelistRecord} encodes and decodes the chain's pages; {@link FreelistBody} is what one
 * record says.
 */
public final class FreelistLayout {
  /** Offset of the next page id. */
  public static final int NEXT = 32;

  /** Offset of the next page's txid. */
  public static final int NEXT_TXID = 40;

  /** Offset of the first long of the record stream. */
  public static final int DATA = 48;

  /** Record kind of a delta. */
  public static final int DELTA = 1;

  /** Record kind of a checkpoint. */
  public static final int CHECKPOINT = 2;

  /** Bits of a run that hold the first page id. */
  public static final int RUN_ID_BITS = 40;

  /** Index of the first written run in a delta record's longs. */
  public static final int DELTA_WRITTEN = 6;

  /** Largest number of pages one run holds. */
  public static final long MAX_RUN = 1L << 24;

  private FreelistLayout() {}

  /** Returns how many longs one freelist page holds. */
  public static int longsPerPage(int pageSize) {
    return (pageSize - DATA) / 8;
  }

  /** Packs a run of {@code length} pages starting at {@code first}. */
  public static long run(long first, long length) {
    return first | ((length - 1) << RUN_ID_BITS);
  }

  /** Returns the first page id of a run. */
  public static long runStart(long run) {
    return run & ((1L << RUN_ID_BITS) - 1);
  }

  /** Returns the number of pages of a run. */
  public static long runLength(long run) {
    return (run >>> RUN_ID_BITS) + 1;
  }
}
