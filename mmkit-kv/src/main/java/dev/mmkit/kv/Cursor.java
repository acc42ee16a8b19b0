package dev.mmkit.kv;

import dev.mmkit.kv.internal.tree.PageCursor;
import java.lang.foreign.MemorySegment;

/**
 * Cursor walks the key/value entries of one {@link Bucket} in key order (unsigned bytes), forward
 * and backward. Nested buckets are skipped; list them with {@link Bucket#bucketNames()}.
 *
 * <pre>{@code
 * Cursor c = bucket.cursor();
 * for (boolean ok = c.seek(from); ok && c.compareKey(to) < 0; ok = c.next()) {
 *   use(c.key(), c.value());
 * }
 * }</pre>
 *
 * <p>A cursor is as cheap as its transaction: no resources to close, and it dies with the
 * transaction (any call afterwards throws {@link dev.mmkit.core.ClosedException}). Changing its
 * bucket through {@link Bucket#put} or {@link Bucket#delete} invalidates it: the next move or read
 * throws {@link IllegalStateException} until it is positioned again with {@link #first}, {@link
 * #last} or {@link #seek}. Like its transaction, a cursor belongs to one thread.
 */
public final class Cursor {
  private final PageCursor cursor;

  Cursor(PageCursor cursor) {
    this.cursor = cursor;
  }

  /** Moves to the first entry; returns whether there is one. */
  public boolean first() {
    return cursor.first();
  }

  /** Moves to the last entry; returns whether there is one. */
  public boolean last() {
    return cursor.last();
  }

  /** Moves to the next entry; returns false, and is no longer on an entry, at the end. */
  public boolean next() {
    return cursor.next();
  }

  /** Moves to the previous entry; returns false, and is no longer on an entry, at the start. */
  public boolean prev() {
    return cursor.prev();
  }

  /** Moves to the first entry whose key is at least {@code key}; returns whether there is one. */
  public boolean seek(byte[] key) {
    return cursor.seek(key);
  }

  /** Moves to the last entry whose key is at most {@code key}; returns whether there is one. */
  public boolean seekFloor(byte[] key) {
    return cursor.seekFloor(key);
  }

  /** Returns whether the cursor is on an entry. */
  public boolean isValid() {
    return cursor.valid();
  }

  /**
   * Returns the current key as a read-only view. With native access the view is the mapped page
   * itself (zero-copy), valid until the transaction ends and readable only by its thread; after
   * that any access throws {@link IllegalStateException}. Without native access it is a copy.
   *
   * @throws IllegalStateException when the cursor is not on an entry
   */
  public MemorySegment key() {
    return cursor.key();
  }

  /**
   * Returns the current value as a read-only view, with the same lifetime as {@link #key()}.
   *
   * @throws IllegalStateException when the cursor is not on an entry
   */
  public MemorySegment value() {
    return cursor.value();
  }

  /** Returns a copy of the current key, which stays valid after the transaction. */
  public byte[] keyBytes() {
    return cursor.keyBytes();
  }

  /** Returns a copy of the current value, which stays valid after the transaction. */
  public byte[] valueBytes() {
    return cursor.valueBytes();
  }

  /** Compares the current key with {@code key} as unsigned bytes, without copying. */
  public int compareKey(byte[] key) {
    return cursor.compareKey(key);
  }
}
