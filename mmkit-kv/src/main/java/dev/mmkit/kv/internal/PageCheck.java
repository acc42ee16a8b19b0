package dev.mmkit.kv.internal;

import java.util.Arrays;

/**
 * PageCheck validates the structure of a page copied to the heap: header fields, element bounds,
 * key order. Each method returns null when the page is sound, or a description of the first
 * problem, so that readers can throw and the checker can list.
 */
public final class PageCheck {
  private PageCheck() {}

  /**
   * Checks the header of a page expected to be {@code page} written by {@code txid}: its id, txid
   * and a known type. Returns null or the problem.
   */
  public static String header(byte[] buf, long page, long txid) {
    long id = Bytes.getLong(buf, PageLayout.PAGE_ID);
    if (id != page) {
      return "page id mismatch: found=" + id;
    }
    long written = Bytes.getLong(buf, PageLayout.TXID);
    if (written != txid) {
      return "txid mismatch (stale or misplaced page): found=" + written + ", expected=" + txid;
    }
    int type = buf[PageLayout.TYPE];
    if (type != PageLayout.BRANCH
        && type != PageLayout.LEAF
        && type != PageLayout.OVERFLOW_TYPE
        && type != PageLayout.FREELIST) {
      return "bad page type: type=" + type;
    }
    if (type != PageLayout.OVERFLOW_TYPE && Bytes.getInt(buf, PageLayout.OVERFLOW) != 0) {
      return "single page claims overflow: overflow=" + Bytes.getInt(buf, PageLayout.OVERFLOW);
    }
    return null;
  }

  /** Checks the body of a one-page buffer by its type. Returns null or the problem. */
  public static String body(byte[] buf) {
    return switch (buf[PageLayout.TYPE]) {
      case PageLayout.LEAF -> leaf(buf);
      case PageLayout.BRANCH -> branch(buf);
      case PageLayout.FREELIST -> freelist(buf);
      default -> null;
    };
  }

  private static String leaf(byte[] buf) {
    int size = buf.length;
    int count = Bytes.getU16(buf, PageLayout.COUNT);
    if (buf[PageLayout.LEVEL] != 0) {
      return "leaf with level: level=" + buf[PageLayout.LEVEL];
    }
    int dataStart = PageLayout.HEADER_SIZE + count * NodeLayout.LEAF_ELEMENT;
    if (count == 0 || dataStart > size) {
      return "bad element count: count=" + count;
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
        return "bad entry flags: index=" + i + ", flags=" + flags;
      }
      if (valueLen < 0
          || valueLen > NodeLayout.MAX_VALUE_SIZE
          || (flags == NodeLayout.BUCKET && valueLen != NodeLayout.BUCKET_HEADER)) {
        return "bad value length: index=" + i + ", length=" + valueLen;
      }
      String problem = keyBounds(buf, i, keyOff, keyLen, stored, dataStart);
      if (problem == null && flags != NodeLayout.INLINE) {
        problem = reference(buf, i, keyOff + keyLen, flags == NodeLayout.BUCKET);
      }
      if (problem != null) {
        return problem;
      }
      if (notAfter(buf, prevOff, prevLen, keyOff, keyLen)) {
        return "keys out of order: index=" + i;
      }
      prevOff = keyOff;
      prevLen = keyLen;
    }
    return null;
  }

  private static String branch(byte[] buf) {
    int size = buf.length;
    int count = Bytes.getU16(buf, PageLayout.COUNT);
    int level = buf[PageLayout.LEVEL];
    if (level < 1 || level > PageLayout.MAX_LEVEL) {
      return "bad branch level: level=" + level;
    }
    int dataStart = PageLayout.HEADER_SIZE + count * NodeLayout.BRANCH_ELEMENT;
    if (count == 0 || dataStart > size) {
      return "bad element count: count=" + count;
    }
    long txid = Bytes.getLong(buf, PageLayout.TXID);
    int prevOff = -1;
    int prevLen = 0;
    for (int i = 0; i < count; i++) {
      int el = PageLayout.HEADER_SIZE + i * NodeLayout.BRANCH_ELEMENT;
      long child = Bytes.getLong(buf, el + NodeLayout.BRANCH_CHILD);
      long childTxid = Bytes.getLong(buf, el + NodeLayout.BRANCH_CHILD_TXID);
      if (badReference(child, childTxid, txid)) {
        return "bad child reference: index=" + i + ", child=" + child + ", childTxid=" + childTxid;
      }
      int keyOff = Bytes.getU16(buf, el + NodeLayout.BRANCH_KEY_OFFSET);
      int keyLen = Bytes.getU16(buf, el + NodeLayout.BRANCH_KEY_LENGTH);
      String problem = keyBounds(buf, i, keyOff, keyLen, 0, dataStart);
      if (problem != null) {
        return problem;
      }
      if (notAfter(buf, prevOff, prevLen, keyOff, keyLen)) {
        return "keys out of order: index=" + i;
      }
      prevOff = keyOff;
      prevLen = keyLen;
    }
    return null;
  }

  private static String reference(byte[] buf, int i, int at, boolean bucket) {
    long txid = Bytes.getLong(buf, PageLayout.TXID);
    long page = Bytes.getLong(buf, at);
    long pageTxid = Bytes.getLong(buf, at + 8);
    if (bucket && page == 0 && pageTxid == 0) {
      return null;
    }
    if (badReference(page, pageTxid, txid)) {
      return "bad page reference: index=" + i + ", page=" + page + ", pageTxid=" + pageTxid;
    }
    return null;
  }

  /**
   * Returns whether a page written by {@code txid} cannot refer to {@code page} carrying {@code
   * pageTxid}: a meta page id (0 or 1), a txid below 2, or a txid newer than the referring page's.
   */
  private static boolean badReference(long page, long pageTxid, long txid) {
    return page < 2 || pageTxid < 2 || pageTxid > txid;
  }

  /** Returns whether the key at {@code keyOff} does not sort after the previous one, if any. */
  private static boolean notAfter(byte[] buf, int prevOff, int prevLen, int keyOff, int keyLen) {
    return prevOff >= 0
        && Arrays.compareUnsigned(buf, prevOff, prevOff + prevLen, buf, keyOff, keyOff + keyLen)
            >= 0;
  }

  private static String keyBounds(
      byte[] buf, int i, int keyOff, int keyLen, long stored, int dataStart) {
    if (keyLen < 1 || keyLen > NodeLayout.MAX_KEY_SIZE) {
      return "bad key length: index=" + i + ", length=" + keyLen;
    }
    if (keyOff < dataStart || keyOff + keyLen + stored > buf.length) {
      return "entry outside page: index=" + i + ", offset=" + keyOff;
    }
    return null;
  }

  private static String freelist(byte[] buf) {
    int count = Bytes.getU16(buf, PageLayout.COUNT);
    if (buf[PageLayout.LEVEL] != 0 || count > FreelistLayout.longsPerPage(buf.length)) {
      return "bad freelist count: count=" + count;
    }
    long next = Bytes.getLong(buf, FreelistLayout.NEXT);
    long nextTxid = Bytes.getLong(buf, FreelistLayout.NEXT_TXID);
    long txid = Bytes.getLong(buf, PageLayout.TXID);
    if (next != 0 && badReference(next, nextTxid, txid)) {
      return "bad freelist link: next=" + next + ", nextTxid=" + nextTxid;
    }
    return null;
  }
}
