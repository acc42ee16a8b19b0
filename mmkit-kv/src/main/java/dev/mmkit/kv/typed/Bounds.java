package dev.mmkit.kv.typed;

import dev.mmkit.kv.Cursor;
import dev.mmkit.kv.KeyRange;
import java.util.Arrays;

/**
 * Bounds is the range of encoded keys a {@link BucketMap} covers, in ascending byte order whatever
 * the map's direction: a lower and an upper bound, each absent (unbounded) or present and included
 * or not. Instances are immutable.
 */
final class Bounds {
  static final Bounds ALL = new Bounds(null, false, null, false);

  private final byte[] lower;
  private final boolean lowerInclusive;
  private final byte[] upper;
  private final boolean upperInclusive;

  /**
   * Creates bounds; a null bound is absent. The arrays are kept, not copied. A lower bound above
   * the upper one makes an empty range.
   */
  Bounds(byte[] lower, boolean lowerInclusive, byte[] upper, boolean upperInclusive) {
    this.lower = lower;
    this.lowerInclusive = lowerInclusive;
    this.upper = upper;
    this.upperInclusive = upperInclusive;
  }

  /** Returns these bounds with another lower bound. */
  Bounds withLower(byte[] key, boolean inclusive) {
    return new Bounds(key, inclusive, upper, upperInclusive);
  }

  /** Returns these bounds with another upper bound. */
  Bounds withUpper(byte[] key, boolean inclusive) {
    return new Bounds(lower, lowerInclusive, key, inclusive);
  }

  boolean isAll() {
    return lower == null && upper == null;
  }

  byte[] lower() {
    return lower;
  }

  boolean lowerInclusive() {
    return lowerInclusive;
  }

  byte[] upper() {
    return upper;
  }

  boolean upperInclusive() {
    return upperInclusive;
  }

  /** Returns whether {@code key} lies below the range. */
  boolean below(byte[] key) {
    return lower != null && below(Arrays.compareUnsigned(key, lower));
  }

  /** Returns whether {@code key} lies above the range. */
  boolean above(byte[] key) {
    return upper != null && above(Arrays.compareUnsigned(key, upper));
  }

  /** Returns whether the cursor's key lies below the range, without copying it. */
  boolean below(Cursor cursor) {
    return lower != null && below(cursor.compareKey(lower));
  }

  /** Returns whether the cursor's key lies above the range, without copying it. */
  boolean above(Cursor cursor) {
    return upper != null && above(cursor.compareKey(upper));
  }

  private boolean below(int comparedToLower) {
    return comparedToLower < 0 || (comparedToLower == 0 && !lowerInclusive);
  }

  private boolean above(int comparedToUpper) {
    return comparedToUpper > 0 || (comparedToUpper == 0 && !upperInclusive);
  }

  /** Returns whether {@code key} lies in the range. */
  boolean contains(byte[] key) {
    return !below(key) && !above(key);
  }

  /**
   * Returns whether {@code key} may bound a sub-range: when the new bound is {@code inclusive} it
   * must lie in the range; otherwise it may also equal an excluded bound of this range.
   */
  boolean admits(byte[] key, boolean inclusive) {
    if (inclusive) {
      return contains(key);
    }
    return (lower == null || Arrays.compareUnsigned(key, lower) >= 0)
        && (upper == null || Arrays.compareUnsigned(key, upper) <= 0);
  }

  /** Returns the range of keys these bounds cover, ascending. */
  KeyRange toKeyRange() {
    if (lower != null && upper != null) {
      return KeyRange.between(lower, lowerInclusive, upper, upperInclusive);
    }
    if (lower != null) {
      return lowerInclusive ? KeyRange.atLeast(lower) : KeyRange.greaterThan(lower);
    }
    if (upper != null) {
      return upperInclusive ? KeyRange.atMost(upper) : KeyRange.lessThan(upper);
    }
    return KeyRange.all();
  }
}
