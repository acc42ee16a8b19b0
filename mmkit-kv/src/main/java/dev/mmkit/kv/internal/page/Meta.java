package dev.mmkit.kv.internal.page;

import dev.mmkit.kv.CorruptDbException;
import java.nio.file.Path;

/**
 * Meta is a decoded meta page ({@link MetaLayout}): one committed state of the database.
 *
 * @param txid the transaction that committed this state
 * @param pageSize the page size of the file
 * @param pageCount pages that belong to the database
 * @param root the root bucket
 * @param freelistHead newest page of the freelist chain, 0 for none
 * @param freelistHeadTxid txid the freelist head page must carry
 * @param deltaPages pages of deltas in the chain
 * @param checkpointPages pages of the checkpoint at the end of the chain
 * @param logEnd offset in the write-ahead log just past this commit's record, where the next record
 *     goes ({@link LogLayout#records} after a checkpoint)
 * @param databaseId a random number drawn when the database (or a copy of it) was created, which
 *     the write-ahead log's header carries too, so that a log left beside another file is never
 *     replayed over it
 */
public record Meta(
    long txid,
    int pageSize,
    long pageCount,
    BucketHeader root,
    long freelistHead,
    long freelistHeadTxid,
    int deltaPages,
    int checkpointPages,
    long logEnd,
    long databaseId) {

  /** Returns the meta page (id {@code txid % 2}) as a sealed page buffer. */
  public byte[] encode() {
    byte[] page = new byte[pageSize];
    PageLayout.writeHeader(page, PageLayout.META, 0, 0, txid & 1, txid);
    Bytes.putLong(page, MetaLayout.MAGIC_OFFSET, MetaLayout.MAGIC);
    Bytes.putInt(page, MetaLayout.VERSION_OFFSET, MetaLayout.VERSION);
    Bytes.putInt(page, MetaLayout.PAGE_SIZE, pageSize);
    Bytes.putLong(page, MetaLayout.PAGE_COUNT, pageCount);
    root.write(page, MetaLayout.ROOT_BUCKET);
    Bytes.putLong(page, MetaLayout.FREELIST_HEAD, freelistHead);
    Bytes.putLong(page, MetaLayout.FREELIST_HEAD_TXID, freelistHeadTxid);
    Bytes.putInt(page, MetaLayout.DELTA_PAGES, deltaPages);
    Bytes.putInt(page, MetaLayout.CHECKPOINT_PAGES, checkpointPages);
    Bytes.putLong(page, MetaLayout.LOG_END, logEnd);
    Bytes.putLong(page, MetaLayout.DATABASE_ID, databaseId);
    Checksums.seal(page);
    return page;
  }

  /**
   * Returns the page size that the fields of a meta page in {@code head} (its first {@link
   * MetaLayout#USED} bytes or more) claim, or -1 when magic, version or page size say it is not
   * one.
   */
  public static int claimedPageSize(byte[] head) {
    if (Bytes.getLong(head, MetaLayout.MAGIC_OFFSET) != MetaLayout.MAGIC
        || Bytes.getInt(head, MetaLayout.VERSION_OFFSET) != MetaLayout.VERSION) {
      return -1;
    }
    int pageSize = Bytes.getInt(head, MetaLayout.PAGE_SIZE);
    return PageLayout.isValidPageSize(pageSize) ? pageSize : -1;
  }

  /**
   * Decodes and validates meta page {@code id} read into {@code page} (one page of the claimed
   * size).
   *
   * @throws CorruptDbException naming what is wrong
   */
  public static Meta decode(byte[] page, long id, Path file) {
    long magic = Bytes.getLong(page, MetaLayout.MAGIC_OFFSET);
    if (magic != MetaLayout.MAGIC) {
      throw bad(
          id, file, "not an mmkit-kv meta page (bad magic): magic=0x" + Long.toHexString(magic));
    }
    int version = Bytes.getInt(page, MetaLayout.VERSION_OFFSET);
    if (version != MetaLayout.VERSION) {
      throw bad(id, file, "unsupported format version: version=" + version);
    }
    int pageSize = Bytes.getInt(page, MetaLayout.PAGE_SIZE);
    if (pageSize != page.length) {
      throw bad(id, file, "page size disagrees: pageSize=" + pageSize + ", read=" + page.length);
    }
    if (!Checksums.verify(page)) {
      throw bad(id, file, "checksum mismatch");
    }
    if (page[PageLayout.TYPE] != PageLayout.META || Bytes.getLong(page, PageLayout.PAGE_ID) != id) {
      throw bad(id, file, "not a meta page: type=" + page[PageLayout.TYPE]);
    }
    long txid = Bytes.getLong(page, PageLayout.TXID);
    long pageCount = Bytes.getLong(page, MetaLayout.PAGE_COUNT);
    BucketHeader root = BucketHeader.read(page, MetaLayout.ROOT_BUCKET);
    long head = Bytes.getLong(page, MetaLayout.FREELIST_HEAD);
    long headTxid = Bytes.getLong(page, MetaLayout.FREELIST_HEAD_TXID);
    int deltaPages = Bytes.getInt(page, MetaLayout.DELTA_PAGES);
    int checkpointPages = Bytes.getInt(page, MetaLayout.CHECKPOINT_PAGES);
    long logEnd = Bytes.getLong(page, MetaLayout.LOG_END);
    long databaseId = Bytes.getLong(page, MetaLayout.DATABASE_ID);
    if (txid < 0 || (txid & 1) != id || pageCount < 2 || pageCount > Integer.MAX_VALUE) {
      throw bad(id, file, "impossible fields: txid=" + txid + ", pageCount=" + pageCount);
    }
    checkRef(id, file, "root", root.root(), root.rootTxid(), txid, pageCount);
    checkRef(id, file, "freelist head", head, headTxid, txid, pageCount);
    if (deltaPages < 0 || checkpointPages < 0) {
      throw bad(id, file, "impossible freelist sizes");
    }
    if (logEnd < LogLayout.records(pageSize)) {
      throw bad(id, file, "impossible log end: logEnd=" + logEnd);
    }
    return new Meta(
        txid,
        pageSize,
        pageCount,
        root,
        head,
        headTxid,
        deltaPages,
        checkpointPages,
        logEnd,
        databaseId);
  }

  private static void checkRef(
      long id, Path file, String what, long page, long pageTxid, long txid, long pageCount) {
    if (page == 0 && pageTxid == 0) {
      return;
    }
    if (page < 2 || page >= pageCount || pageTxid < 1 || pageTxid > txid) {
      throw bad(id, file, what + " out of range: page=" + page + ", pageTxid=" + pageTxid);
    }
  }

  private static CorruptDbException bad(long id, Path file, String what) {
    return new CorruptDbException(
        id, "corrupt meta page: file=" + file + ", page=" + id + ", " + what);
  }

  /**
   * Returns the meta of a new, empty database of {@code pageSize} with {@code txid} and {@code
   * databaseId}.
   */
  public static Meta empty(long txid, int pageSize, long databaseId) {
    return new Meta(
        txid, pageSize, 2, BucketHeader.EMPTY, 0, 0, 0, 0, LogLayout.records(pageSize), databaseId);
  }

  /** Returns this meta as the first of a copy with {@code id}, its log not yet begun. */
  public Meta asCopy(long id) {
    return with(LogLayout.records(pageSize), id);
  }

  /** Returns this meta with the log end {@code end}. */
  public Meta withLogEnd(long end) {
    return with(end, databaseId);
  }

  private Meta with(long end, long id) {
    return new Meta(
        txid,
        pageSize,
        pageCount,
        root,
        freelistHead,
        freelistHeadTxid,
        deltaPages,
        checkpointPages,
        end,
        id);
  }

  /** Returns a copy for the next commit; its log end is this one's until the commit sets it. */
  public Meta next(
      long newTxid,
      long newPageCount,
      BucketHeader newRoot,
      long head,
      long headTxid,
      int newDeltaPages,
      int newCheckpointPages) {
    return new Meta(
        newTxid,
        pageSize,
        newPageCount,
        newRoot,
        head,
        headTxid,
        newDeltaPages,
        newCheckpointPages,
        logEnd,
        databaseId);
  }
}
