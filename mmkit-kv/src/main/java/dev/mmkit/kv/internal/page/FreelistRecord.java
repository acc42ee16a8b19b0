package dev.mmkit.kv.internal.page;

import dev.mmkit.kv.CorruptDbException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

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

  /** Returns how many pages the record of {@code body} takes. */
  public static int pagesFor(FreelistBody body, int pageSize) {
    int per = FreelistLayout.longsPerPage(pageSize);
    return (body.length() + per - 1) / per;
  }

  /**
   * Encodes {@code body} into {@code pages} (at least {@link #pagesFor} of them) linked in order,
   * the last one to page {@code next} of the chain, which transaction {@code nextTxid} wrote.
   */
  public static List<byte[]> encode(
      FreelistBody body, long[] pages, long next, long nextTxid, int pageSize) {
    long[] longs = new long[body.length()];
    longs[0] =
        ((long) body.kind() << KIND_SHIFT) | ((long) pages.length << PAGES_SHIFT) | longs.length;
    body.encodeInto(longs);
    long txid = body.txid();
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
   * Decodes what this record says.
   *
   * @throws CorruptDbException when a count or a run does not fit the record
   */
  public FreelistBody body(Pages s) {
    BodyReader in = new BodyReader(this, s);
    FreelistBody body;
    if (kind == FreelistLayout.CHECKPOINT) {
      long pageCount = in.value(2, Integer.MAX_VALUE);
      long[] written = in.runs(pageCount);
      long[] free = in.runs(pageCount);
      long groups = in.value(0, in.left());
      NavigableMap<Long, long[]> pending = new TreeMap<>();
      long previous = 0;
      for (long g = 0; g < groups; g++) {
        long t = in.value(previous + 1, txid);
        pending.put(t, in.runs(pageCount));
        previous = t;
      }
      body = new FreelistBody.Checkpoint(txid, pageCount, written, free, pending);
    } else {
      long pageCount = in.value(2, Integer.MAX_VALUE);
      long matured = in.value(0, txid);
      long nWritten = in.value(0, in.left());
      long nFreed = in.value(0, in.left());
      long[] written = in.runs(nWritten, Integer.MAX_VALUE);
      long[] freed = in.runs(nFreed, Integer.MAX_VALUE);
      body = new FreelistBody.Delta(txid, pageCount, matured, written, freed);
    }
    in.end();
    return body;
  }

  /** BodyReader reads counts and runs from a record's longs after its header and txid. */
  private static final class BodyReader {
    private final FreelistRecord r;
    private final Pages s;
    private int at = 2;

    BodyReader(FreelistRecord r, Pages s) {
      this.r = r;
      this.s = s;
    }

    long left() {
      return r.longs.length - at;
    }

    long value(long min, long max) {
      if (at >= r.longs.length) {
        throw corrupt("freelist record ends early: longs=" + r.longs.length);
      }
      long v = r.longs[at++];
      if (v < min || v > max) {
        throw corrupt("freelist field out of range: value=" + v + ", index=" + (at - 1));
      }
      return v;
    }

    /** Reads a count and that many runs, each ending at or below {@code bound}. */
    long[] runs(long bound) {
      return runs(value(0, left()), bound);
    }

    long[] runs(long n, long bound) {
      if (n > left()) {
        throw corrupt("freelist record ends early: longs=" + r.longs.length);
      }
      long[] runs = Arrays.copyOfRange(r.longs, at, at + (int) n);
      at += (int) n;
      for (long run : runs) {
        long first = FreelistLayout.runStart(run);
        long end = first + FreelistLayout.runLength(run);
        if (first < 2 || end > bound) {
          throw corrupt(
              "freelist run out of range: first=" + first + ", end=" + end + ", bound=" + bound);
        }
      }
      return runs;
    }

    void end() {
      if (at != r.longs.length) {
        throw corrupt("freelist record has trailing longs: used=" + at);
      }
    }

    private CorruptDbException corrupt(String problem) {
      return s.corrupt(r.pages[0], problem);
    }
  }

  /**
   * Checks the fields of freelist page {@code buf} copied to the heap that the page alone can tell:
   * its count and its link. Returns null or the flaw; the record's longs are checked when it is
   * read ({@link #body}).
   */
  static Flaw check(byte[] buf) {
    int count = Bytes.getU16(buf, PageLayout.COUNT);
    if (buf[PageLayout.LEVEL] != 0 || count > FreelistLayout.longsPerPage(buf.length)) {
      return new Flaw(ProblemKind.BAD_FREELIST_COUNT, "count=" + count);
    }
    long next = Bytes.getLong(buf, FreelistLayout.NEXT);
    long nextTxid = Bytes.getLong(buf, FreelistLayout.NEXT_TXID);
    long txid = Bytes.getLong(buf, PageLayout.TXID);
    if (next != 0 && PageCheck.badReference(next, nextTxid, txid)) {
      return new Flaw(ProblemKind.BAD_FREELIST_LINK, "next=" + next + ", nextTxid=" + nextTxid);
    }
    return null;
  }
}
