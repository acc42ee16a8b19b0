package dev.mmkit.kv.internal.page;

import dev.mmkit.kv.CorruptDbException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * FreelistRecord is one record of the freelist chain ({@link FreelistLayout}) with the pages that
 * hold it.
 *
 * @param kind {@link FreelistLayout#DELTA} or {@link FreelistLayout#CHECKPOINT}
 * @param txid the transaction that wrote it
 * @param longs the record's longs, header first
 * @param pages the pages holding it, in chain order
 * @param next the page after the record in the chain, 0 at the end
 * @param nextTxid the txid the next page carries
 */
public record FreelistRecord(
    int kind, long txid, long[] longs, long[] pages, long next, long nextTxid) {
  /** Pages is where a chain is read from: the verified freelist pages of one snapshot. */
  public interface Pages {
    /** Returns a verified copy of freelist page {@code page}, which must carry {@code txid}. */
    byte[] freelistPage(long page, long txid);

    /** Returns the exception for a bad page of this file. */
    CorruptDbException corrupt(long page, String problem);

    /** Returns the page size. */
    int pageSize();
  }

  private static final int KIND_SHIFT = 56;
  private static final int PAGES_SHIFT = 32;

  /**
   * Returns the first long of a record of {@code kind} spanning {@code pages} pages and {@code
   * longs} longs.
   */
  public static long header(int kind, int pages, int longs) {
    return ((long) kind << KIND_SHIFT) | ((long) pages << PAGES_SHIFT) | longs;
  }

  /** Encodes {@code longs} into {@code pages} linked in order, the last one to {@code next}. */
  public static List<byte[]> encode(
      long[] longs, long[] pages, long txid, long next, long nextTxid, int pageSize) {
    int per = FreelistLayout.longsPerPage(pageSize);
    List<byte[]> out = new ArrayList<>(pages.length);
    int at = 0;
    for (int i = 0; i < pages.length; i++) {
      byte[] b = new byte[pageSize];
      int n = Math.min(per, longs.length - at);
      PageLayout.writeHeader(b, PageLayout.FREELIST, 0, n, pages[i], txid);
      boolean last = i == pages.length - 1;
      Bytes.putLong(b, FreelistLayout.NEXT, last ? next : pages[i + 1]);
      Bytes.putLong(b, FreelistLayout.NEXT_TXID, last ? nextTxid : txid);
      for (int j = 0; j < n; j++) {
        Bytes.putLong(b, FreelistLayout.DATA + j * 8, longs[at + j]);
      }
      at += n;
      Checksums.seal(b);
      out.add(b);
    }
    if (at != longs.length) {
      throw new IllegalStateException("freelist record does not fit its pages");
    }
    return out;
  }

  /**
   * Reads the chain of {@code meta} from its head to the first checkpoint, newest record first,
   * bounding its length by the meta's counts.
   */
  public static List<FreelistRecord> readChain(Pages s, Meta meta) {
    long budget = (long) meta.deltaPages() + meta.checkpointPages();
    List<FreelistRecord> records = new ArrayList<>();
    long page = meta.freelistHead();
    long pageTxid = meta.freelistHeadTxid();
    long lastTxid = Long.MAX_VALUE;
    while (true) {
      if (page == 0) {
        throw s.corrupt(meta.freelistHead(), "freelist chain ends without a checkpoint");
      }
      FreelistRecord r = read(s, page, pageTxid, budget, lastTxid);
      budget -= r.pages.length;
      lastTxid = r.txid;
      records.add(r);
      if (r.kind == FreelistLayout.CHECKPOINT) {
        return records;
      }
      page = r.next;
      pageTxid = r.nextTxid;
    }
  }

  /** Reads the newest record of {@code meta}'s chain, the one its commit wrote. */
  public static FreelistRecord readHead(Pages s, Meta meta) {
    long budget = (long) meta.deltaPages() + meta.checkpointPages();
    return read(s, meta.freelistHead(), meta.freelistHeadTxid(), budget, Long.MAX_VALUE);
  }

  /**
   * Reads the record that starts at {@code page}, written by {@code pageTxid}, which may span at
   * most {@code budget} pages and must be older than {@code lastTxid}.
   */
  private static FreelistRecord read(
      Pages s, long page, long pageTxid, long budget, long lastTxid) {
    byte[] first = s.freelistPage(page, pageTxid);
    int firstCount = Bytes.getU16(first, PageLayout.COUNT);
    if (firstCount < 2) {
      throw s.corrupt(page, "freelist record too short: count=" + firstCount);
    }
    long header = Bytes.getLong(first, FreelistLayout.DATA);
    int kind = (int) (header >>> KIND_SHIFT);
    long pageCount = (header >>> PAGES_SHIFT) & 0xFFFFFF;
    long length = header & 0xFFFFFFFFL;
    long txid = Bytes.getLong(first, FreelistLayout.DATA + 8);
    if ((kind != FreelistLayout.DELTA && kind != FreelistLayout.CHECKPOINT)
        || pageCount < 1
        || pageCount > budget
        || length > pageCount * FreelistLayout.longsPerPage(s.pageSize())
        || txid != pageTxid
        || txid >= lastTxid) {
      throw s.corrupt(
          page,
          "bad freelist record: kind="
              + kind
              + ", pages="
              + pageCount
              + ", longs="
              + length
              + ", txid="
              + txid);
    }
    long[] longs = new long[(int) length];
    long[] pages = new long[(int) pageCount];
    int at = 0;
    byte[] b = first;
    long next = page;
    long nextTxid = pageTxid;
    for (int i = 0; i < pageCount; i++) {
      if (i > 0) {
        b = s.freelistPage(next, nextTxid);
      }
      pages[i] = next;
      int n = Bytes.getU16(b, PageLayout.COUNT);
      if (at + n > length || Bytes.getLong(b, PageLayout.TXID) != txid) {
        throw s.corrupt(next, "freelist record page does not fit its record: count=" + n);
      }
      for (int j = 0; j < n; j++) {
        longs[at++] = Bytes.getLong(b, FreelistLayout.DATA + j * 8);
      }
      next = Bytes.getLong(b, FreelistLayout.NEXT);
      nextTxid = Bytes.getLong(b, FreelistLayout.NEXT_TXID);
    }
    if (at != length) {
      throw s.corrupt(pages[0], "freelist record is short: longs=" + at + ", expected=" + length);
    }
    return new FreelistRecord(kind, txid, longs, pages, next, nextTxid);
  }

  /**
   * Returns the runs of pages this record's commit wrote, besides the record's own pages.
   *
   * @throws CorruptDbException when the record's counts do not fit it
   */
  public long[] writtenRuns(Pages s) {
    int countAt =
        kind == FreelistLayout.DELTA
            ? FreelistLayout.DELTA_WRITTEN - 2
            : FreelistLayout.CHECKPOINT_WRITTEN_COUNT;
    int from = kind == FreelistLayout.DELTA ? FreelistLayout.DELTA_WRITTEN : countAt + 1;
    long n = countAt < longs.length ? longs[countAt] : -1;
    if (n < 0 || from + n > longs.length) {
      throw s.corrupt(pages[0], "freelist record's written runs do not fit it: runs=" + n);
    }
    return Arrays.copyOfRange(longs, from, from + (int) n);
  }
}
