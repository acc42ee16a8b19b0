package dev.mmkit.kv.typed;

import dev.mmkit.kv.KeyRange;
import java.util.Objects;

/**
 * TypedRange selects the keys a {@link TypedBucket} scan visits, by bounds of the key type, and the
 * direction it visits them in. Bounds are compared as the bucket compares keys: by their encoded
 * bytes, which is the key type's own order when its {@link Codec} preserves order. Instances are
 * immutable.
 *
 * <pre>{@code
 * users.scan(TypedRange.closedOpen(1000L, 2000L).reversed(), (id, name) -> { ...; return true; });
 * }</pre>
 *
 * @param <K> the key type
 */
public final class TypedRange<K> {
  private static final TypedRange<Object> ALL = new TypedRange<>(null, true, null, false, false);

  private final K lower;
  private final boolean lowerInclusive;
  private final K upper;
  private final boolean upperInclusive;
  private final boolean reversed;

  private TypedRange(
      K lower, boolean lowerInclusive, K upper, boolean upperInclusive, boolean reversed) {
    this.lower = lower;
    this.lowerInclusive = lowerInclusive;
    this.upper = upper;
    this.upperInclusive = upperInclusive;
    this.reversed = reversed;
  }

  /** Returns the range of every key, in ascending order. */
  @SuppressWarnings("unchecked") // ALL holds no K: its bounds are null.
  public static <K> TypedRange<K> all() {
    return (TypedRange<K>) ALL;
  }

  /** Returns the keys at least {@code start}. */
  public static <K> TypedRange<K> atLeast(K start) {
    return new TypedRange<>(bound(start, "start"), true, null, false, false);
  }

  /** Returns the keys greater than {@code start}. */
  public static <K> TypedRange<K> greaterThan(K start) {
    return new TypedRange<>(bound(start, "start"), false, null, false, false);
  }

  /** Returns the keys at most {@code end}. */
  public static <K> TypedRange<K> atMost(K end) {
    return new TypedRange<>(null, true, bound(end, "end"), true, false);
  }

  /** Returns the keys less than {@code end}. */
  public static <K> TypedRange<K> lessThan(K end) {
    return new TypedRange<>(null, true, bound(end, "end"), false, false);
  }

  /** Returns the keys from {@code start} to {@code end}, both included. */
  public static <K> TypedRange<K> closed(K start, K end) {
    return between(start, true, end, true);
  }

  /** Returns the keys from {@code start} (included) to {@code end} (excluded). */
  public static <K> TypedRange<K> closedOpen(K start, K end) {
    return between(start, true, end, false);
  }

  /**
   * Returns the keys between {@code start} and {@code end}, each included or not as its flag says;
   * a start above the end selects no key.
   */
  public static <K> TypedRange<K> between(
      K start, boolean startInclusive, K end, boolean endInclusive) {
    return new TypedRange<>(
        bound(start, "start"), startInclusive, bound(end, "end"), endInclusive, false);
  }

  /** Returns the same keys, visited in the opposite order. */
  public TypedRange<K> reversed() {
    return new TypedRange<>(lower, lowerInclusive, upper, upperInclusive, !reversed);
  }

  /** Returns whether keys are visited in descending order. */
  public boolean isReversed() {
    return reversed;
  }

  /** Returns the range of encoded keys this range selects, in its direction. */
  KeyRange encode(Codec<K> keys) {
    KeyRange range =
        new Bounds(
                lower == null ? null : keys.encode(lower),
                lowerInclusive,
                upper == null ? null : keys.encode(upper),
                upperInclusive)
            .toKeyRange();
    return reversed ? range.reversed() : range;
  }

  private static <K> K bound(K key, String name) {
    return Objects.requireNonNull(key, () -> "range bound must not be null: bound=" + name);
  }

  @Override
  public String toString() {
    return "TypedRange["
        + (lower == null ? "(-inf" : (lowerInclusive ? "[" : "(") + lower)
        + ", "
        + (upper == null ? "+inf)" : upper + (upperInclusive ? "]" : ")"))
        + (reversed ? ", reversed" : "")
        + "]";
  }
}
