package dev.mmkit.kv.internal.tree;

import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.LeafPage;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.storage.Snapshot;
import java.lang.foreign.MemorySegment;

/**
 * LeafValues hands out the value of a leaf element in a verified page ({@link LeafPage}), or of a
 * leaf entry of a materialized node, as a view valid until the transaction ends or as a copy.
 */
final class LeafValues {
  private LeafValues() {}

  /** Returns a view of the value at leaf element {@code el}, or null for a bucket. */
  static MemorySegment view(TreeTxn tx, long el) {
    Snapshot s = tx.snapshot();
    MemorySegment seg = s.segment();
    long at = LeafPage.valueOffset(seg, el, s.pageSize());
    long length = LeafPage.valueLength(seg, el) & 0xFFFFFFFFL;
    return switch (LeafPage.flags(seg, el)) {
      case NodeLayout.INLINE -> tx.view(at, length);
      case NodeLayout.OVERFLOW ->
          tx.view(s.overflow(Bytes.getLong(seg, at), Bytes.getLong(seg, at + 8), length), length);
      default -> null;
    };
  }

  /** Returns a copy of the value at leaf element {@code el}, or null for a bucket. */
  static byte[] copy(TreeTxn tx, long el) {
    Snapshot s = tx.snapshot();
    MemorySegment seg = s.segment();
    long at = LeafPage.valueOffset(seg, el, s.pageSize());
    int length = LeafPage.valueLength(seg, el);
    return switch (LeafPage.flags(seg, el)) {
      case NodeLayout.INLINE -> Bytes.copy(seg, at, length);
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
  static MemorySegment view(TreeTxn tx, Entry e) {
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
  static byte[] copy(TreeTxn tx, Entry e) {
    return switch (e.flags) {
      case NodeLayout.INLINE -> e.value.clone();
      case NodeLayout.OVERFLOW ->
          e.page == 0 ? e.value.clone() : copyOverflow(tx, e.page, e.txid, e.length);
      default -> null;
    };
  }

  private static byte[] copyOverflow(TreeTxn tx, long page, long txid, int length) {
    Snapshot s = tx.snapshot();
    long at = s.overflow(page, txid, length);
    return Bytes.copy(s.segment(), at, length);
  }
}
