package dev.mmkit.kv.internal.page;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;

/**
 * LeafPage encodes and decodes leaf pages ({@link NodeLayout}): it writes a run of packed entries
 * as one sealed page, and reads the elements, keys and values of a verified leaf page in the raw
 * mapping or in a heap copy, and checks a heap copy's body ({@link #check}). Offsets into the
 * mapping ({@code off} of a page, {@code el} of an element) are absolute; read them only inside
 * {@code Snapshot.read}.
 */
public final class LeafPage {
  private LeafPage() {}

  /** Records is what a leaf page is encoded from: entries packed as the page packs them. */
  public interface Records {
    /** Returns the key length of entry {@code i}. */
    int keyLength(int i);

    /** Returns the value length of entry {@code i} as its element stores it. */
    int valueLength(int i);

    /** Returns the flags of entry {@code i}. */
    int flags(int i);

    /** Returns the bytes entry {@code i} takes in a page: element, key and stored value. */
    int entrySize(int i);

    /** Copies the key and stored value of entry {@code i} to {@code page} at {@code at}. */
    void copyRecord(int i, byte[] page, int at);
  }

  /**
   * Encodes entries {@code [from, to)} of {@code records} as leaf page {@code page} written by
   * {@code txid} into {@code b}, which it clears first, and seals it.
   */
  public static void encode(byte[] b, Records records, int from, int to, long page, long txid) {
    Arrays.fill(b, (byte) 0);
    PageLayout.writeHeader(b, PageLayout.LEAF, 0, to - from, page, txid);
    int data = PageLayout.HEADER_SIZE + (to - from) * NodeLayout.LEAF_ELEMENT;
    int el = PageLayout.HEADER_SIZE;
    for (int i = from; i < to; i++, el += NodeLayout.LEAF_ELEMENT) {
      Bytes.putU16(b, el + NodeLayout.LEAF_KEY_OFFSET, data);
      Bytes.putU16(b, el + NodeLayout.LEAF_KEY_LENGTH, records.keyLength(i));
      Bytes.putInt(b, el + NodeLayout.LEAF_VALUE_LENGTH, records.valueLength(i));
      b[el + NodeLayout.LEAF_FLAGS] = (byte) records.flags(i);
      records.copyRecord(i, b, data);
      data += records.entrySize(i) - NodeLayout.LEAF_ELEMENT;
    }
    Bytes.putInt(b, PageLayout.LENGTH, data);
    Checksums.seal(b);
  }

  /** Returns the bytes a value of {@code valueLength} with {@code flags} takes after its key. */
  public static int storedValueLength(int flags, int valueLength) {
    return switch (flags) {
      case NodeLayout.INLINE -> valueLength;
      case NodeLayout.OVERFLOW -> NodeLayout.OVERFLOW_REF;
      default -> NodeLayout.BUCKET_HEADER;
    };
  }

  /** Returns the offset of element {@code index} of the leaf page at {@code off}. */
  public static long element(long off, int index) {
    return off + PageLayout.HEADER_SIZE + (long) index * NodeLayout.LEAF_ELEMENT;
  }

  /**
   * Returns the index of {@code key} in the leaf page at {@code off}, or {@code -(insertion) - 1}.
   */
  public static int search(MemorySegment seg, long off, int count, byte[] key) {
    return PageSearch.search(
        seg, off, count, key, NodeLayout.LEAF_ELEMENT, NodeLayout.LEAF_KEY_OFFSET);
  }

  /** Returns the key offset of element {@code el}, relative to its page. */
  public static int keyOffset(MemorySegment seg, long el) {
    return Bytes.getU16(seg, el + NodeLayout.LEAF_KEY_OFFSET);
  }

  /** Returns the key length of element {@code el}. */
  public static int keyLength(MemorySegment seg, long el) {
    return Bytes.getU16(seg, el + NodeLayout.LEAF_KEY_LENGTH);
  }

  /** Returns the flags of element {@code el}. */
  public static int flags(MemorySegment seg, long el) {
    return Bytes.getU8(seg, el + NodeLayout.LEAF_FLAGS);
  }

  /** Returns the value length stored in element {@code el}, as a signed int. */
  public static int valueLength(MemorySegment seg, long el) {
    return Bytes.getInt(seg, el + NodeLayout.LEAF_VALUE_LENGTH);
  }

  /**
   * Returns the absolute offset of the value (or overflow reference, or bucket header) of element
   * {@code el} of a page of {@code pageSize} bytes.
   */
  public static long valueOffset(MemorySegment seg, long el, int pageSize) {
    long page = el & -(long) pageSize;
    return page + keyOffset(seg, el) + keyLength(seg, el);
  }

  /** Returns a copy of the key of entry {@code i} of a leaf page copied to the heap. */
  public static byte[] key(byte[] page, int i) {
    int el = PageLayout.HEADER_SIZE + i * NodeLayout.LEAF_ELEMENT;
    int keyOff = Bytes.getU16(page, el + NodeLayout.LEAF_KEY_OFFSET);
    int keyLen = Bytes.getU16(page, el + NodeLayout.LEAF_KEY_LENGTH);
    return Arrays.copyOfRange(page, keyOff, keyOff + keyLen);
  }

  /**
   * Checks the body of leaf page {@code buf} copied to the heap: elements, key order, value lengths
   * and the references of overflow values and nested buckets. Returns null or the first flaw.
   */
  static Flaw check(byte[] buf) {
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
      if (flags != NodeLayout.INLINE
          && flags != NodeLayout.OVERFLOW
          && flags != NodeLayout.BUCKET) {
        return new Flaw(ProblemKind.BAD_ENTRY_FLAGS, "index=" + i + ", flags=" + flags);
      }
      long stored = storedValueLength(flags, valueLen);
      if (valueLen < 0
          || valueLen > NodeLayout.MAX_VALUE_SIZE
          || (flags == NodeLayout.BUCKET && valueLen != NodeLayout.BUCKET_HEADER)) {
        return new Flaw(ProblemKind.BAD_VALUE_LENGTH, "index=" + i + ", length=" + valueLen);
      }
      Flaw problem = PageCheck.keyBounds(buf, i, keyOff, keyLen, stored, dataStart);
      if (problem == null && flags != NodeLayout.INLINE) {
        problem = reference(buf, i, keyOff + keyLen, flags == NodeLayout.BUCKET);
      }
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

  private static Flaw reference(byte[] buf, int i, int at, boolean bucket) {
    long txid = Bytes.getLong(buf, PageLayout.TXID);
    long page = Bytes.getLong(buf, at);
    long pageTxid = Bytes.getLong(buf, at + 8);
    if (bucket && page == 0 && pageTxid == 0) {
      return null;
    }
    if (PageCheck.badReference(page, pageTxid, txid)) {
      return new Flaw(
          ProblemKind.BAD_PAGE_REFERENCE,
          "index=" + i + ", page=" + page + ", pageTxid=" + pageTxid);
    }
    return null;
  }
}
