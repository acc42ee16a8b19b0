package dev.mmkit.kv.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * PageValues reads the value of a leaf element in a verified page, or of a leaf entry of a
 * materialized node: as a view or a copy.
 */
final class PageValues {
  private PageValues() {}

  /** Returns a view of the value at leaf element {@code el}, or null for a bucket. */
  static MemorySegment view(Txn tx, long el) {
    Snapshot s = tx.snapshot();
    MemorySegment seg = s.segment();
    long at = valueOffset(s, el);
    int flags = Bytes.getU8(seg, el + NodeLayout.LEAF_FLAGS);
    long length = Bytes.getInt(seg, el + NodeLayout.LEAF_VALUE_LENGTH) & 0xFFFFFFFFL;
    return switch (flags) {
      case NodeLayout.INLINE -> tx.view(at, length);
      case NodeLayout.OVERFLOW ->
          tx.view(s.overflow(Bytes.getLong(seg, at), Bytes.getLong(seg, at + 8), length), length);
      default -> null;
    };
  }

  /** Returns a copy of the value at leaf element {@code el}, or null for a bucket. */
  static byte[] copy(Txn tx, long el) {
    Snapshot s = tx.snapshot();
    MemorySegment seg = s.segment();
    long at = valueOffset(s, el);
    int flags = Bytes.getU8(seg, el + NodeLayout.LEAF_FLAGS);
    int length = Bytes.getInt(seg, el + NodeLayout.LEAF_VALUE_LENGTH);
    return switch (flags) {
      case NodeLayout.INLINE -> bytes(seg, at, length);
      case NodeLayout.OVERFLOW ->
          copyOverflow(tx, Bytes.getLong(seg, at), Bytes.getLong(seg, at + 8), length);
      default -> null;
    };
  }

  /**
   * Returns a view of the value of {@code e}, a leaf entry of a materialized node, or null for a
   * bucket. A value already in an overflow run is read from the mapping: call inside {@link
   * Snapshot#read}.
   */
  static MemorySegment view(Txn tx, Entry e) {
    return switch (e.flags) {
      case NodeLayout.INLINE -> tx.view(e.value);
      case NodeLayout.OVERFLOW ->
          e.page == 0
              ? tx.view(e.value)
              : tx.view(tx.snapshot().overflow(e.page, e.txid, e.length), e.length);
      default -> null;
    };
  }

  /**
   * Returns a copy of the value of {@code e}, a leaf entry of a materialized node, or null for a
   * bucket. A value already in an overflow run is read from the mapping: call inside {@link
   * Snapshot#read}.
   */
  static byte[] copy(Txn tx, Entry e) {
    return switch (e.flags) {
      case NodeLayout.INLINE -> e.value.clone();
      case NodeLayout.OVERFLOW ->
          e.page == 0 ? e.value.clone() : copyOverflow(tx, e.page, e.txid, e.length);
      default -> null;
    };
  }

  private static byte[] copyOverflow(Txn tx, long page, long txid, int length) {
    Snapshot s = tx.snapshot();
    long at = s.overflow(page, txid, length);
    return bytes(s.segment(), at, length);
  }

  /** Returns the offset of the key of leaf element {@code el}. */
  static long keyOffset(Snapshot s, long el) {
    long page = el & -(long) s.pageSize();
    return page + Bytes.getU16(s.segment(), el + NodeLayout.LEAF_KEY_OFFSET);
  }

  /** Returns the offset of the value (or overflow reference, or bucket header) of {@code el}. */
  static long valueOffset(Snapshot s, long el) {
    return keyOffset(s, el) + Bytes.getU16(s.segment(), el + NodeLayout.LEAF_KEY_LENGTH);
  }

  static byte[] bytes(MemorySegment seg, long at, int length) {
    byte[] b = new byte[length];
    MemorySegment.copy(seg, ValueLayout.JAVA_BYTE, at, b, 0, length);
    return b;
  }
}
