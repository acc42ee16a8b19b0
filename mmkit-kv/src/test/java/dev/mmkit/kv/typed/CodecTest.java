package dev.mmkit.kv.typed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * CodecTest checks, for every built-in codec, that encoding preserves the type's own order (two
 * random values compare as their encodings compare as unsigned bytes) and that decoding inverts
 * encoding. The expected order always comes from the JDK's comparison of the values themselves.
 */
class CodecTest {

  /** Returns -1, 0 or 1 as the encodings of {@code a} and {@code b} compare as unsigned bytes. */
  private static <T> int encodedOrder(Codec<T> codec, T a, T b) {
    return Integer.signum(Arrays.compareUnsigned(codec.encode(a), codec.encode(b)));
  }

  @Property
  void shouldPreserveSignedOrderOfLongs(@ForAll long a, @ForAll long b) {
    assertThat(encodedOrder(Codec.longs(), a, b)).isEqualTo(Long.compare(a, b));
    assertThat(Codec.longs().decode(Codec.longs().encode(a))).isEqualTo(a);
  }

  @Property
  void shouldPreserveSignedOrderOfInts(@ForAll int a, @ForAll int b) {
    assertThat(encodedOrder(Codec.ints(), a, b)).isEqualTo(Integer.compare(a, b));
    assertThat(Codec.ints().decode(Codec.ints().encode(a))).isEqualTo(a);
  }

  @Property
  void shouldPreserveTheOrderOfUuidCompareTo(@ForAll("uuids") UUID a, @ForAll("uuids") UUID b) {
    assertThat(encodedOrder(Codec.uuids(), a, b)).isEqualTo(Integer.signum(a.compareTo(b)));
    assertThat(Codec.uuids().decode(Codec.uuids().encode(a))).isEqualTo(a);
  }

  @Property
  void shouldPreserveTheOrderOfInstants(
      @ForAll("instants") Instant a, @ForAll("instants") Instant b) {
    assertThat(encodedOrder(Codec.instants(), a, b)).isEqualTo(Integer.signum(a.compareTo(b)));
    assertThat(Codec.instants().decode(Codec.instants().encode(a))).isEqualTo(a);
  }

  @Property
  void shouldPreserveCodePointOrderOfStrings(
      @ForAll("strings") String a, @ForAll("strings") String b) {
    int codePointOrder =
        Integer.signum(Arrays.compare(a.codePoints().toArray(), b.codePoints().toArray()));
    assertThat(encodedOrder(Codec.strings(), a, b)).isEqualTo(codePointOrder);
    assertThat(Codec.strings().decode(Codec.strings().encode(a))).isEqualTo(a);
  }

  @Property
  void shouldKeepByteArraysAsTheyAreInUnsignedOrder(
      @ForAll("byteArrays") byte[] a, @ForAll("byteArrays") byte[] b) {
    assertThat(encodedOrder(Codec.bytes(), a, b)).isEqualTo(lexicographicUnsigned(a, b));
    assertThat(Codec.bytes().encode(a)).isEqualTo(a);
    assertThat(Codec.bytes().decode(Codec.bytes().encode(a))).isEqualTo(a);
  }

  /** Compares as lists of numbers from 0 to 255, shorter first on a common prefix. */
  private static int lexicographicUnsigned(byte[] a, byte[] b) {
    for (int i = 0; i < Math.min(a.length, b.length); i++) {
      int x = a[i] & 0xFF;
      int y = b[i] & 0xFF;
      if (x != y) {
        return x < y ? -1 : 1;
      }
    }
    return Integer.compare(a.length, b.length) == 0 ? 0 : a.length < b.length ? -1 : 1;
  }

  @Provide
  Arbitrary<UUID> uuids() {
    Arbitrary<Long> halves = Arbitraries.longs();
    return Combinators.combine(halves, halves).as(UUID::new);
  }

  @Provide
  Arbitrary<Instant> instants() {
    Arbitrary<Long> seconds =
        Arbitraries.longs()
            .between(Instant.MIN.getEpochSecond(), Instant.MAX.getEpochSecond())
            .edgeCases(e -> e.add(-1L).add(0L).add(1L));
    // Few distinct seconds as well, so that pairs often share one and differ in nanos.
    Arbitrary<Long> nearby = Arbitraries.longs().between(-2, 2);
    Arbitrary<Integer> nanos = Arbitraries.integers().between(0, 999_999_999);
    return Combinators.combine(Arbitraries.oneOf(seconds, nearby), nanos)
        .as(Instant::ofEpochSecond);
  }

  @Provide
  Arbitrary<String> strings() {
    // Code points from every UTF-8 length, from a few (so that strings share prefixes) or
    // anywhere outside the surrogate range. U+E000-U+FFFF sort after U+10000 in UTF-16 units
    // but before it in code points.
    Arbitrary<Integer> few =
        Arbitraries.of(
            0, (int) 'a', (int) 'b', 0x7F, 0x80, 0x7FF, 0x800, 0xE000, 0xFFFF, 0x10000, 0x10FFFF);
    Arbitrary<Integer> any =
        Arbitraries.integers()
            .between(0, Character.MAX_CODE_POINT)
            .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE);
    return Arbitraries.oneOf(few, any)
        .list()
        .ofMaxSize(6)
        .map(
            codePoints -> {
              StringBuilder s = new StringBuilder();
              codePoints.forEach(s::appendCodePoint);
              return s.toString();
            });
  }

  @Provide
  Arbitrary<byte[]> byteArrays() {
    return Arbitraries.of((byte) 0, (byte) 1, (byte) 0x7F, (byte) 0x80, (byte) 0xFF)
        .list()
        .ofMaxSize(5)
        .map(
            list -> {
              byte[] out = new byte[list.size()];
              for (int i = 0; i < out.length; i++) {
                out[i] = list.get(i);
              }
              return out;
            });
  }

  @Example
  void shouldWriteLongsBigEndianWithTheSignBitFlipped() {
    HexFormat hex = HexFormat.of();
    assertThat(hex.formatHex(Codec.longs().encode(Long.MIN_VALUE))).isEqualTo("0000000000000000");
    assertThat(hex.formatHex(Codec.longs().encode(-1L))).isEqualTo("7fffffffffffffff");
    assertThat(hex.formatHex(Codec.longs().encode(1L))).isEqualTo("8000000000000001");
    assertThat(hex.formatHex(Codec.ints().encode(0x01020304))).isEqualTo("81020304");
    assertThat(hex.formatHex(Codec.instants().encode(Instant.ofEpochSecond(0, 5))))
        .isEqualTo("8000000000000000" + "00000005");
  }

  @Example
  void shouldSortCodePointsNotUtf16Units() {
    String privateUse = "\uE000";
    String supplementary = new String(Character.toChars(0x10000));
    // String.compareTo puts U+10000 (a surrogate pair, 0xD800 0xDC00) first; code points do not.
    assertThat(supplementary.compareTo(privateUse)).isNegative();
    assertThat(encodedOrder(Codec.strings(), privateUse, supplementary)).isNegative();
  }

  @Example
  void shouldEncodeStringsAsPlainUtf8() {
    assertThat(Codec.strings().encode("é€"))
        .isEqualTo("é€".getBytes(StandardCharsets.UTF_8))
        .hasSize(5);
    assertThat(Codec.strings().encode("")).isEmpty();
  }

  @Example
  void shouldRejectWhatUtf8CannotCarryExactly() {
    assertThatThrownBy(() -> Codec.strings().encode("a\uD800b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("index=1");
    assertThatThrownBy(() -> Codec.strings().encode("\uDC00"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Codec.strings().decode(new byte[] {'a', (byte) 0xC0, (byte) 0x80}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UTF-8");
  }

  @Example
  void shouldRejectBytesOfTheWrongLength() {
    for (Codec<?> codec : List.of(Codec.longs(), Codec.ints(), Codec.uuids(), Codec.instants())) {
      assertThatThrownBy(() -> codec.decode(new byte[3]))
          .as(codec.toString())
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("length=3");
    }
    byte[] badNanos = Codec.instants().encode(Instant.EPOCH);
    Arrays.fill(badNanos, 8, 12, (byte) 0xFF);
    assertThatThrownBy(() -> Codec.instants().decode(badNanos))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("nanos=-1");
  }

  @Example
  void shouldDecodeFromAnySegmentWithoutKeepingIt() {
    byte[] encoded = Codec.uuids().encode(new UUID(-5, 7));
    UUID decoded;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment offHeap = arena.allocate(encoded.length + 3);
      MemorySegment.copy(MemorySegment.ofArray(encoded), 0, offHeap, 3, encoded.length);
      decoded = Codec.uuids().decode(offHeap.asSlice(3));
    }
    assertThat(decoded).isEqualTo(new UUID(-5, 7));
  }

  @Example
  void shouldCopyByteArraysBothWays() {
    byte[] original = {1, 2, 3};
    byte[] encoded = Codec.bytes().encode(original);
    original[0] = 9;
    assertThat(encoded).containsExactly(1, 2, 3);
    byte[] decoded = Codec.bytes().decode(encoded);
    encoded[1] = 9;
    assertThat(decoded).containsExactly(1, 2, 3);
  }

  /** A type of the user's own, with a codec made of two functions. */
  record Point(int x, int y) {}

  @Example
  void shouldPlugInACodecOfOnesOwn() {
    Codec<Point> points =
        Codec.of(
            p -> ByteBuffer.allocate(8).putInt(p.x()).putInt(p.y()).array(),
            bytes -> {
              ByteBuffer b = ByteBuffer.wrap(bytes);
              return new Point(b.getInt(), b.getInt());
            });
    assertThat(points.decode(points.encode(new Point(-3, 4)))).isEqualTo(new Point(-3, 4));
    assertThatThrownBy(() -> points.encode(null)).isInstanceOf(NullPointerException.class);
    Codec<Point> broken = Codec.of(p -> null, bytes -> new Point(0, 0));
    assertThatThrownBy(() -> broken.encode(new Point(1, 1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("encoder returned null");
  }
}
