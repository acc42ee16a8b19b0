package dev.mmkit.kv.internal.page;

import java.util.Arrays;

/**
 * PageCheck validates the structure of a page copied to the heap: the header fields every page
 * shares here, the body by the class that encodes and decodes pages of its type ({@link LeafPage},
 * {@link BranchPage}, {@link FreelistRecord}), with the element checks they share. Each method
 * returns null when the page is sound, or the first {@link Flaw}, so that readers can throw and the
 * checker can list.
 */
public final class PageCheck {
  private PageCheck() {}

  /**
   * Checks the header of a page expected to be {@code page} written by {@code txid}: its id, txid
   * and a known type. Returns null or the flaw.
   */
  public static Flaw header(byte[] buf, long page, long txid) {
    long id = Bytes.getLong(buf, PageLayout.PAGE_ID);
    if (id != page) {
      return new Flaw(ProblemKind.PAGE_ID_MISMATCH, "found=" + id);
    }
    long written = Bytes.getLong(buf, PageLayout.TXID);
    if (written != txid) {
      return new Flaw(ProblemKind.TXID_MISMATCH, "found=" + written + ", expected=" + txid);
    }
    int type = buf[PageLayout.TYPE];
    if (type != PageLayout.BRANCH
        && type != PageLayout.LEAF
        && type != PageLayout.OVERFLOW_TYPE
        && type != PageLayout.FREELIST) {
      return new Flaw(ProblemKind.BAD_PAGE_TYPE, "type=" + type);
    }
    if (type != PageLayout.OVERFLOW_TYPE && Bytes.getInt(buf, PageLayout.OVERFLOW) != 0) {
      return new Flaw(
          ProblemKind.SINGLE_PAGE_CLAIMS_OVERFLOW,
          "overflow=" + Bytes.getInt(buf, PageLayout.OVERFLOW));
    }
    return null;
  }

  /** Checks the body of a one-page buffer by its type. Returns null or the flaw. */
  public static Flaw body(byte[] buf) {
    return switch (buf[PageLayout.TYPE]) {
      case PageLayout.LEAF -> LeafPage.check(buf);
      case PageLayout.BRANCH -> BranchPage.check(buf);
      case PageLayout.FREELIST -> FreelistRecord.check(buf);
      default -> null;
    };
  }

  /**
   * Returns whether a page written by {@code txid} cannot refer to {@code page} carrying {@code
   * pageTxid}: a meta page id (0 or 1), txid 0 (the creation of the file, which wrote no page), or
   * a txid newer than the referring page's.
   */
  static boolean badReference(long page, long pageTxid, long txid) {
    return page < 2 || pageTxid < 1 || pageTxid > txid;
  }

  /** Returns whether the key at {@code keyOff} does not sort after the previous one, if any. */
  static boolean notAfter(byte[] buf, int prevOff, int prevLen, int keyOff, int keyLen) {
    return prevOff >= 0
        && Arrays.compareUnsigned(buf, prevOff, prevOff + prevLen, buf, keyOff, keyOff + keyLen)
            >= 0;
  }

  static Flaw keyBounds(byte[] buf, int i, int keyOff, int keyLen, long stored, int dataStart) {
    if (keyLen < 1 || keyLen > NodeLayout.MAX_KEY_SIZE) {
      return new Flaw(ProblemKind.BAD_KEY_LENGTH, "index=" + i + ", length=" + keyLen);
    }
    if (keyOff < dataStart || keyOff + keyLen + stored > buf.length) {
      return new Flaw(ProblemKind.ENTRY_OUTSIDE_PAGE, "index=" + i + ", offset=" + keyOff);
    }
    return null;
  }
}
