package dev.mmkit.kv.internal.page;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * BranchPage encodes and decodes branch pages ({@link NodeLayout}): it writes a run of children as
 * one sealed page, and reads the elements, separator keys and child references of a verified branch
 * page in the raw mapping or in a heap copy, and checks a heap copy's body ({@link #check}).
 * Offsets into the mapping are absolute; read them only inside {@code Snapshot.read}.
 */
public final class BranchPage {
  private BranchPage() {}

  /** Children is what a branch page is encoded from: separator keys with child references. */
  public interface Children {
    /** Returns the separator key of child {@code i}; callers must not change it. */
    byte[] key(int i);

    /** Returns the page of child {@code i}. */
    long childPage(int i);

    /** Returns the txid child {@code i}'s page carries. */
    long childTxid(int i);
  }

  /**
   * Encodes children {@code [from, to)} of {@code children} as branch page {@code page} at {@code
   * level}, written by {@code txid}, into {@code b}, which it clears first, and seals it.
   */
  public static void encode(
      byte[] b, Children children, int from, int to, int level, long page, long txid) {
    Arrays.fill(b, (byte) 0);
    PageLayout.writeHeader(b, PageLayout.BRANCH, level, to - from, page, txid);
    int data = PageLayout.HEADER_SIZE + (to - from) * NodeLayout.BRANCH_ELEMENT;
    int el = PageLayout.HEADER_SIZE;
    for (int i = from; i < to; i++, el += NodeLayout.BRANCH_ELEMENT) {
      byte[] key = children.key(i);
      Bytes.putLong(b, el + NodeLayout.BRANCH_CHILD, children.childPage(i));
      Bytes.putLong(b, el + NodeLayout.BRANCH_CHILD_TXID, children.childTxid(i));
      Bytes.putU16(b, el + NodeLayout.BRANCH_KEY_OFFSET, data);
      Bytes.putU16(b, el + NodeLayout.BRANCH_KEY_LENGTH, key.length);
      System.arraycopy(key, 0, b, data, key.length);
      data += key.length;
    }
    Bytes.putInt(b, PageLayout.LENGTH, data);
    Checksums.seal(b);
  }

  /** Returns the offset of element {@code index} of the branch page at {@code off}. */
  public static long element(long off, int index) {
    return off + PageLayout.HEADER_SIZE + (long) index * NodeLayout.BRANCH_ELEMENT;
  }

  /** Returns the index of the child of the branch page at {@code off} that covers {@code key}. */
  public static int search(MemorySegment seg, long off, int count, byte[] key) {
    return coveringChild(
        PageSearch.search(
            seg, off, count, key, NodeLayout.BRANCH_ELEMENT, NodeLayout.BRANCH_KEY_OFFSET));
  }

  /**
   * Returns the index of the branch child that covers a key, from the result of searching the key
   * among the branch's separators: the separator equal to the key, else the last one below it, else
   * the first.
   */
  public static int coveringChild(int searched) {
    if (searched >= 0) {
      return searched;
    }
    int insertion = -searched - 1;
    return insertion == 0 ? 0 : insertion - 1;
  }

  /** Returns the child page of element {@code el}. */
  public static long childPage(MemorySegment seg, long el) {
    return Bytes.getLong(seg, el + NodeLayout.BRANCH_CHILD);
  }

  /** Returns the txid the child page of element {@code el} carries. */
  public static long childTxid(MemorySegment seg, long el) {
    return Bytes.getLong(seg, el + NodeLayout.BRANCH_CHILD_TXID);
  }

  /**
   * Returns a copy of the separator key of element {@code el} of the branch page at {@code off}.
   */
  public static byte[] key(MemorySegment seg, long off, long el) {
    int keyOff = Bytes.getU16(seg, el + NodeLayout.BRANCH_KEY_OFFSET);
    int keyLen = Bytes.getU16(seg, el + NodeLayout.BRANCH_KEY_LENGTH);
    return Bytes.copy(seg, off + keyOff, keyLen);
  }

  /** Returns the child page of element {@code i} of a branch page copied to the heap. */
  public static long childPage(byte[] page, int i) {
    return Bytes.getLong(page, heapElement(i) + NodeLayout.BRANCH_CHILD);
  }

  /** Returns the txid the child of element {@code i} of a heap copy carries. */
  public static long childTxid(byte[] page, int i) {
    return Bytes.getLong(page, heapElement(i) + NodeLayout.BRANCH_CHILD_TXID);
  }

  /** Returns a copy of separator key {@code i} of a branch page copied to the heap. */
  public static byte[] key(byte[] page, int i) {
    int el = heapElement(i);
    int keyOff = Bytes.getU16(page, el + NodeLayout.BRANCH_KEY_OFFSET);
    int keyLen = Bytes.getU16(page, el + NodeLayout.BRANCH_KEY_LENGTH);
    return Arrays.copyOfRange(page, keyOff, keyOff + keyLen);
  }

  private static int heapElement(int i) {
    return PageLayout.HEADER_SIZE + i * NodeLayout.BRANCH_ELEMENT;
  }

  /**
   * Checks the body of branch page {@code buf} copied to the heap: level, elements, child
   * references and key order. Returns null or the first flaw.
   */
  static Flaw check(byte[] buf) {
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
      if (PageCheck.badReference(child, childTxid, txid)) {
        return new Flaw(
            ProblemKind.BAD_CHILD_REFERENCE,
            "index=" + i + ", child=" + child + ", childTxid=" + childTxid);
      }
      int keyOff = Bytes.getU16(buf, el + NodeLayout.BRANCH_KEY_OFFSET);
      int keyLen = Bytes.getU16(buf, el + NodeLayout.BRANCH_KEY_LENGTH);
      Flaw problem = PageCheck.keyBounds(buf, i, keyOff, keyLen, 0, dataStart);
      if (problem != null) {
        return problem;
      }
      if (PageCheck.notAfter(buf, prevOff, prevLen, keyOff, keyLen)) {
        return new Flaw(ProblemKind.KEYS_OUT_OF_ORDER, "index=" + i);
      }
      prevOff = keyOff;
      prevLen = keyLen;
    }
    return null;
  }
}
