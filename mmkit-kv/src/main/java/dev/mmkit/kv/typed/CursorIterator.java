package dev.mmkit.kv.typed;

import dev.mmkit.kv.Cursor;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.function.Function;

/**
 * CursorIterator walks a cursor through {@link Bounds} in one direction, reading each entry as it
 * passes: the iterators of {@link BucketMap} and its views.
 */
final class CursorIterator<T> implements Iterator<T> {
  private final Cursor cursor;
  private final Bounds bounds;
  private final boolean descending;
  private final Function<Cursor, T> read;
  private boolean more;

  /**
   * Creates an iterator that starts at the entry {@code start} is on, or an empty one when {@code
   * start} is null.
   */
  CursorIterator(Cursor start, Bounds bounds, boolean descending, Function<Cursor, T> read) {
    this.cursor = start;
    this.bounds = bounds;
    this.descending = descending;
    this.read = read;
    this.more = start != null;
  }

  @Override
  public boolean hasNext() {
    return more;
  }

  @Override
  public T next() {
    if (!more) {
      throw new NoSuchElementException();
    }
    T current = read.apply(cursor);
    if (descending) {
      more = cursor.prev() && !bounds.below(cursor);
    } else {
      more = cursor.next() && !bounds.above(cursor);
    }
    return current;
  }
}
