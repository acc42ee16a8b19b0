package dev.mmkit.kv.internal.tree;

import dev.mmkit.kv.internal.page.BucketHeader;
import dev.mmkit.kv.internal.page.LeafPage;
import dev.mmkit.kv.internal.page.NodeLayout;

/**
 * Entry is one element of a materialized {@link Node}: in a leaf a key with its inline value,
 * overflow reference or bucket header; in a branch a separator key with its child, on disk and
 * possibly materialized.
 */
final class Entry {
  byte[] key;
  int flags;

  /** Inline value, bucket header, or a large value not yet written (overflow with page 0). */
  byte[] value;

  /** Branch: child page; leaf overflow: first page of the run (0 while not yet written). */
  long page;

  /** Txid the page carries. */
  long txid;

  /** Leaf overflow: the value length. */
  int length;

  /** Branch: the materialized child, or null. */
  Node child;

  static Entry inline(byte[] key, byte[] value) {
    Entry e = new Entry();
    e.key = key;
    e.flags = NodeLayout.INLINE;
    e.value = value;
    return e;
  }

  static Entry bigValue(byte[] key, byte[] value) {
    Entry e = new Entry();
    e.key = key;
    e.flags = NodeLayout.OVERFLOW;
    e.value = value;
    e.length = value.length;
    return e;
  }

  static Entry bucket(byte[] key, BucketHeader header) {
    Entry e = new Entry();
    e.key = key;
    e.flags = NodeLayout.BUCKET;
    e.value = header.toBytes();
    return e;
  }

  static Entry branch(byte[] key, long page, long txid, Node child) {
    Entry e = new Entry();
    e.key = key;
    e.page = page;
    e.txid = txid;
    e.child = child;
    return e;
  }

  /** Bytes this entry takes in a page of a leaf ({@code leaf}) or a branch. */
  int size(boolean leaf) {
    if (!leaf) {
      return NodeLayout.BRANCH_ELEMENT + key.length;
    }
    return NodeLayout.LEAF_ELEMENT + key.length + storedValueLength();
  }

  int storedValueLength() {
    return LeafPage.storedValueLength(flags, valueLength());
  }

  /** Returns the value length as stored in the element. */
  int valueLength() {
    return switch (flags) {
      case NodeLayout.INLINE -> value.length;
      case NodeLayout.OVERFLOW -> length;
      default -> NodeLayout.BUCKET_HEADER;
    };
  }
}
