package dev.mmkit.kv.internal.page;

import java.util.Arrays;

/**
 * PageCheck validates the structure of a page copied to the heap: header fields, element bounds,
 * key order. Each method returns null when the page is sound, or the first {@link Flaw}, so that
 * readers can throw and the checker can list.
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
      case PageLayout.LEAF -> leaf(buf);
      case PageLayout.BRANCH -> branch(buf);
      case PageLayout.FREELIST -> freelist(buf);
      default -> null;
    };
  }

  private static Flaw leaf(byte[] buf) {
    int size = buf.length;
    int count = Bytes.getU16(buf, PageLayout.COUNT);
    if (buf[PageLayout.LEVEL] != 0) {
      return new Flaw(ProblemKind.LEAF_WITH_LEVEL, "level=" + buf[PageLayout.LEVEL]);
    }
    int dataStart = PageLayout.HEADER_SIZE + count * NodeLayout.LEAF_ELEMENT;
    if (count == 0 || dataStart > size) {
      return new Flaw(ProblemKind.BAD_ELEMENT_COUNT, "count=" + count);
    }
    int prevOff = -1;
    int prevLen = 0;
    for (int i = 0; i < count; i++) {
      int el = PageLayout.HEADER_SIZE + i * NodeLayout.LEAF_ELEMENT;
      int keyOff = Bytes.getU16(buf, el + NodeLayout.LEAF_KEY_OFFSET);
      int keyLen = Bytes.getU16(buf, el + NodeLayout.LEAF_KEY_LENGTH);
      int valueLen = Bytes.getInt(buf, el + NodeLayout.LEAF_VALUE_LENGTH);
      int flags = buf[el + NodeLayout.LEAF_FLAGS];
      long stored =
          switch (flags) {
            case NodeLayout.INLINE -> valueLen;
            case NodeLayout.OVERFLOW -> NodeLayout.OVERFLOW_REF;
            case NodeLayout.BUCKET -> NodeLayout.BUCKET_HEADER;
            default -> -1;
          };
      if (stored < 0) {
        return new Flaw(ProblemKind.BAD_ENTRY_FLAGS, "index=" + i + ", flags=" + flags);
      }
      if (valueLen < 0
          || valueLen > NodeLayout.MAX_VALUE_SIZE
          || (flags == NodeLayout.BUCKET && valueLen != NodeLayout.BUCKET_HEADER)) {
        return new Flaw(ProblemKind.BAD_VALUE_LENGTH, "index=" + i + ", length=" + valueLen);
      }
      Flaw problem = keyBounds(buf, i, keyOff, keyLen, stored, dataStart);
      if (problem == null && flags != NodeLayout.INLINE) {
        problem = reference(buf, i, keyOff + keyLen, flags == NodeLayout.BUCKET);
      }
      if (problem != null) {
        return problem;
      }
      if (notAfter(buf, prevOff, prevLen, keyOff, keyLen)) {
        return new Flaw(ProblemKind.KEYS_OUT_OF_ORDER, "index=" + i);
      }
      prevOff = keyOff;
      prevLen = keyLen;
    }
    return null;
  }

  private static Flaw branch(byte[] buf) {
    int size = buf.length;
    int count = Bytes.getU16(buf, PageLayout.COUNT);
    int level = buf[PageLayout.LEVEL];
    if (level < 1 || level > PageLayout.MAX_LEVEL) {
      return new Flaw(ProblemKind.BAD_BRANCH_LEVEL, "level=" + level);
    }
    int dataStart = PageLayout.HEADER_SIZE + count * NodeLayout.BRANCH_ELEMENT;
    if (count == 0 || dataStart > size) {
      return new Flaw(ProblemKind.BAD_ELEMENT_COUNT, "count=" + count);
    }
    long txid = Bytes.getLong(buf, PageLayout.TXID);
    int prevOff = -1;
    int prevLen = 0;
    for (int i = 0; i < count; i++) {
      int el = PageLayout.HEADER_SIZE + i * NodeLayout.BRANCH_ELEMENT;
      long child = Bytes.getLong(buf, el + NodeLayout.BRANCH_CHILD);
      long childTxid = Bytes.getLong(buf, el + NodeLayout.BRANCH_CHILD_TXID);
      if (badReference(child, childTxid, txid)) {
        return new Flaw(
            ProblemKind.BAD_CHILD_REFERENCE,
            "index=" + i + ", child=" + child + ", childTxid=" + childTxid);
      }
      int keyOff = Bytes.getU16(buf, el + NodeLayout.BRANCH_KEY_OFFSET);
      int keyLen = Bytes.getU16(buf, el + NodeLayout.BRANCH_KEY_LENGTH);
      Flaw problem = keyBounds(buf, i, keyOff, keyLen, 0, dataStart);
      if (problem != null) {
        return problem;
      }
      if (notAfter(buf, prevOff, prevLen, keyOff, keyLen)) {
        return new Flaw(ProblemKind.KEYS_OUT_OF_ORDER, "index=" + i);
      }
      prevOff = keyOff;
      prevLen = keyLen;
    }
    return null;
  }

  private static Flaw reference(byte[] buf, int i, int at, boolean bucket) {
    long txid = Bytes.getLong(buf, PageLayout.TXID);
    long page = Bytes.getLong(buf, at);
    long pageTxid = Bytes.getLong(buf, at + 8);
    if (bucket && page == 0 && pageTxid == 0) {
      return null;
    }
    if (badReference(page, pageTxid, txid)) {
      return new Flaw(
          ProblemKind.BAD_PAGE_REFERENCE,
          "index=" + i + ", page=" + page + ", pageTxid=" + pageTxid);
    }
    return null;
  }

  /**
   * Returns whether a page written by {@code txid} cannot refer to {@code page} carrying {@code
   * pageTxid}: a meta page id (0 or 1), txid 0 (the creation of the file, which wrote no page), or
   * a txid newer than the referring page's.
   */
  private static boolean badReference(long page, long pageTxid, long txid) {
    return page < 2 || pageTxid < 1 || pageTxid > txid;
  }

  /** Returns whether the key at {@code keyOff} does not sort after the previous one, if any. */
  private static boolean notAfter(byte[] buf, int prevOff, int prevLen, int keyOff, int keyLen) {
    return prevOff >= 0
        && Arrays.compareUnsigned(buf, prevOff, prevOff + prevLen, buf, keyOff, keyOff + keyLen)
            >= 0;
  }

  private static Flaw keyBounds(
      byte[] buf, int i, int keyOff, int keyLen, long stored, int dataStart) {
    if (keyLen < 1 || keyLen > NodeLayout.MAX_KEY_SIZE) {
      return new Flaw(ProblemKind.BAD_KEY_LENGTH, "index=" + i + ", length=" + keyLen);
    }
    if (keyOff < dataStart || keyOff + keyLen + stored > buf.length) {
      return new Flaw(ProblemKind.ENTRY_OUTSIDE_PAGE, "index=" + i + ", offset=" + keyOff);
    }
    return null;
  }

  private static Flaw freelist(byte[] buf) {
    int count = Bytes.getU16(buf, PageLayout.COUNT);
    if (buf[PageLayout.LEVEL] != 0 || count > FreelistLayout.longsPerPage(buf.length)) {
      return new Flaw(ProblemKind.BAD_FREELIST_COUNT, "count=" + count);
    }
    long next = Bytes.getLong(buf, FreelistLayout.NEXT);
    long nextTxid = Bytes.getLong(buf, FreelistLayout.NEXT_TXID);
    long txid = Bytes.getLong(buf, PageLayout.TXID);
    if (next != 0 && badReference(next, nextTxid, txid)) {
      return new Flaw(ProblemKind.BAD_FREELIST_LINK, "next=" + next + ", nextTxid=" + nextTxid);
    }
    return null;
  }
}
