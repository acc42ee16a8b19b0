package dev.mmkit.kv;

import java.util.Arrays;

/**
 * KeyRange selects the keys a scan visits and the direction it visits them in. Bounds are compared
 * as unsigned bytes, like keys. Instances are immutable.
 *
 * <pre>{@code
 * bucket.scan(KeyRange.prefix("user:".getBytes(UTF_8)).reversed(), (key, value) -> { ...; return true; });
 * }</pre>
 */
public final class KeyRange {
  private static final KeyRange ALL = new KeyRange(null, true, null, false, false);

  private final byte[] lower;
  private final boolean lowerInclusive;
  private final byte[] upper;
  private final boolean upperInclusive;
  private final boolean reversed;

  private KeyRange(
      byte[] lower,
      boolean lowerInclusive,
      byte[] upper,
      boolean upperInclusive,
      boolean reversed) {
    this.lower = lower;
    this.lowerInclusive = lowerInclusive;
    this.upper = upper;
    this.upperInclusive = upperInclusive;
    this.reversed = reversed;
  }

  /** Returns the range of every key, in ascending order. */
  public static KeyRange all() {
    return ALL;
  }

  /** Returns the keys at least {@code start}. */
  public static KeyRange atLeast(byte[] start) {
    return new KeyRange(copy(start), true, null, false, false);
  }

  /** Returns the keys greater than {@code start}. */
  public static KeyRange greaterThan(byte[] start) {
    return new KeyRange(copy(start), false, null, false, false);
  }

  /** Returns the keys at most {@code end}. */
  public static KeyRange atMost(byte[] end) {
    return new KeyRange(null, true, copy(end), true, false);
  }

  /** Returns the keys less than {@code end}. */
  public static KeyRange lessThan(byte[] end) {
    return new KeyRange(null, true, copy(end), false, false);
  }

  /** Returns the keys from {@code start} to {@code end}, both included. */
  public static KeyRange closed(byte[] start, byte[] end) {
    return new KeyRange(copy(start), true, copy(end), true, false);
  }

  /** Returns the keys from {@code start} (included) to {@code end} (excluded). */
  public static KeyRange closedOpen(byte[] start, byte[] end) {
    return new KeyRange(copy(start), true, copy(end), false, false);
  }

  /**
   * Returns the keys between {@code lower} and {@code upper}, each bound included or not as its
   * flag says; a lower bound above the upper one selects no key.
   */
  public static KeyRange between(
      byte[] lower, boolean lowerInclusive, byte[] upper, boolean upperInclusive) {
    return new KeyRange(copy(lower), lowerInclusive, copy(upper), upperInclusive, false);
  }

  /** Returns the keys that start with {@code prefix}. */
  public static KeyRange prefix(byte[] prefix) {
    byte[] start = copy(prefix);
    byte[] end = successor(start);
    return new KeyRange(start, true, end, false, false);
  }

  /** Returns the same keys, visited in the opposite order. */
  public KeyRange reversed() {
    return new KeyRange(lower, lowerInclusive, upper, upperInclusive, !reversed);
  }

  /** Returns whether keys are visited in descending order. */
  public boolean isReversed() {
    return reversed;
  }

  /** Returns the lower bound, or null when unbounded. */
  public byte[] lower() {
    return lower == null ? null : lower.clone();
  }

  /** Returns whether the lower bound is included. */
  public boolean lowerInclusive() {
    return lowerInclusive;
  }

  /** Returns the upper bound, or null when unbounded. */
  public byte[] upper() {
    return upper == null ? null : upper.clone();
  }

  /** Returns whether the upper bound is included. */
  public boolean upperInclusive() {
    return upperInclusive;
  }

  /** Returns whether {@code key} lies in the range. */
  public boolean contains(byte[] key) {
    if (lower != null) {
      int c = Arrays.compareUnsigned(key, lower);
      if (c < 0 || (c == 0 && !lowerInclusive)) {
        return false;
      }
    }
    if (upper != null) {
      int c = Arrays.compareUnsigned(key, upper);
      return c < 0 || (c == 0 && upperInclusive);
    }
    return true;
  }

  byte[] rawLower() {
    return lower;
  }

  byte[] rawUpper() {
    return upper;
  }

  /** Returns the smallest key greater than every key starting with {@code prefix}, or null. */
  private static byte[] successor(byte[] prefix) {
    for (int i = prefix.length - 1; i >= 0; i--) {
      if (prefix[i] != (byte) 0xFF) {
        byte[] next = Arrays.copyOf(prefix, i + 1);
        next[i]++;
        return next;
      }
    }
    return null;
  }

  private static byte[] copy(byte[] key) {
    if (key == null) {
      throw new IllegalArgumentException("range bound must not be null");
    }
    return key.clone();
  }

  @Override
  public String toString() {
    return "KeyRange["
        + (lower == null ? "(-inf" : (lowerInclusive ? "[" : "(") + Arrays.toString(lower))
        + ", "
        + (upper == null ? "+inf)" : Arrays.toString(upper) + (upperInclusive ? "]" : ")"))
        + (reversed ? ", reversed" : "")
        + "]";
  }
}
