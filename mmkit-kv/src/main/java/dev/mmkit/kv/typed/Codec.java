package dev.mmkit.kv.typed;

import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Function;

/**
 * Codec turns values of type {@code T} into the bytes a {@link dev.mmkit.kv.Bucket} stores, and
 * back. A {@link TypedBucket} uses one codec for its keys and one for its values.
 *
 * <p><b>Contract.</b> {@link #encode} is deterministic and one-to-one: equal values give equal
 * bytes, different values different bytes, and {@code decode(encode(v))} equals {@code v}. A bucket
 * orders its keys by their encoded bytes, compared as unsigned bytes; a key codec is
 * <i>order-preserving</i> when that order is the order of {@code T} itself, and only then do range
 * scans and sorted views of a {@link TypedBucket} follow {@code T}'s order. A value codec needs no
 * order: any serializer will do. Codecs are used from many threads and must be stateless or
 * thread-safe.
 *
 * <p>The codecs this interface provides are order-preserving, allocate only the array they return
 * (encode) and the value they build (decode), and reject bytes of the wrong length with {@link
 * IllegalArgumentException}:
 *
 * <table class="striped">
 *   <caption>Built-in codecs</caption>
 *   <thead>
 *     <tr><th>codec</th><th>bytes</th><th>order</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><td>{@link #strings()}</td><td>UTF-8, any length</td>
 *         <td>Unicode code point order (not {@link String#compareTo}, which compares UTF-16
 *         units)</td></tr>
 *     <tr><td>{@link #longs()}</td><td>8, big-endian, sign bit flipped</td>
 *         <td>signed, as {@link Long#compare}</td></tr>
 *     <tr><td>{@link #ints()}</td><td>4, big-endian, sign bit flipped</td>
 *         <td>signed, as {@link Integer#compare}</td></tr>
 *     <tr><td>{@link #uuids()}</td><td>16: both halves as by {@link #longs()}</td>
 *         <td>as {@link UUID#compareTo}</td></tr>
 *     <tr><td>{@link #instants()}</td><td>12: seconds as by {@link #longs()}, then nanoseconds,
 *         4 big-endian</td><td>as {@link Instant#compareTo}</td></tr>
 *     <tr><td>{@link #bytes()}</td><td>the array as it is</td>
 *         <td>unsigned lexicographic, as {@link java.util.Arrays#compareUnsigned(byte[],
 *         byte[])}</td></tr>
 *   </tbody>
 * </table>
 *
 * @param <T> the type of the values encoded
 */
public interface Codec<T> {

  /**
   * Returns the bytes that stand for {@code value}: a new array the caller may keep.
   *
   * @throws IllegalArgumentException when the value cannot be encoded
   * @throws NullPointerException when {@code value} is null
   */
  byte[] encode(T value);

  /**
   * Returns the value that {@code bytes} stand for, as a new object that does not depend on {@code
   * bytes}. The segment may be a view of the mapped database file that dies with its transaction:
   * read it during this call only.
   *
   * @throws IllegalArgumentException when the bytes are not an encoding of this codec
   */
  T decode(MemorySegment bytes);

  /** Returns the value that {@code bytes} stand for; see {@link #decode(MemorySegment)}. */
  default T decode(byte[] bytes) {
    return decode(MemorySegment.ofArray(bytes));
  }

  /**
   * Returns the codec of strings as UTF-8. Its order is the order of Unicode code points, which
   * differs from {@link String#compareTo} for characters above U+FFFF. A string with an unpaired
   * surrogate cannot be encoded, and bytes that are not well-formed UTF-8 cannot be decoded (both
   * throw {@link IllegalArgumentException}). The empty string encodes to no bytes, which is not a
   * valid bucket key.
   */
  static Codec<String> strings() {
    return StringCodec.INSTANCE;
  }

  /** Returns the codec of longs in signed order: 8 bytes, big-endian, sign bit flipped. */
  static Codec<Long> longs() {
    return LongCodec.INSTANCE;
  }

  /** Returns the codec of ints in signed order: 4 bytes, big-endian, sign bit flipped. */
  static Codec<Integer> ints() {
    return IntCodec.INSTANCE;
  }

  /**
   * Returns the codec of UUIDs in the order of {@link UUID#compareTo}, which compares the most
   * significant halves and then the least significant ones as signed longs. That is not the order
   * of the UUIDs' strings, and it does not sort time-based UUIDs by time.
   */
  static Codec<UUID> uuids() {
    return UuidCodec.INSTANCE;
  }

  /**
   * Returns the codec of instants in time order, from {@link Instant#MIN} to {@link Instant#MAX}.
   */
  static Codec<Instant> instants() {
    return InstantCodec.INSTANCE;
  }

  /**
   * Returns the codec of byte arrays as they are. Encoding and decoding copy, so neither side keeps
   * the other's array.
   */
  static Codec<byte[]> bytes() {
    return BytesCodec.INSTANCE;
  }

  /**
   * Returns a codec made of two functions, for types of one's own or any serializer: {@code
   * encoder} must meet the contract of {@link #encode} and {@code decoder} must invert it. The
   * decoder gets a fresh array it may keep.
   *
   * <pre>{@code
   * Codec<Point> points = Codec.of(p -> p.toBytes(), Point::fromBytes);
   * }</pre>
   */
  static <T> Codec<T> of(
      Function<? super T, byte[]> encoder, Function<byte[], ? extends T> decoder) {
    return new FunctionCodec<>(encoder, decoder);
  }
}
