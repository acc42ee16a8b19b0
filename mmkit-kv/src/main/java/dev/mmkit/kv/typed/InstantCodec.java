package dev.mmkit.kv.typed;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.Instant;

/**
 * InstantCodec encodes an instant in 12 bytes: its epoch seconds as {@link LongCodec} writes a
 * long, then its nanoseconds within the second (0 to 999,999,999), big-endian. Seconds first in
 * signed order, then nanoseconds, is the order of {@link Instant#compareTo}.
 *
 * <pre>
 *   0                               8               12
 *   +-------------------------------+---------------+
 *   | epochSecond ^ 1L<<63          | nano          |
 *   | (big-endian)                  | (big-endian)  |
 *   +-------------------------------+---------------+
 * </pre>
 */
final class InstantCodec implements Codec<Instant> {
  static final InstantCodec INSTANCE = new InstantCodec();
  private static final int BYTES = LongCodec.BYTES + Integer.BYTES;
  private static final ValueLayout.OfInt BIG_ENDIAN_INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private InstantCodec() {}

  @Override
  public byte[] encode(Instant value) {
    byte[] out = new byte[BYTES];
    LongCodec.put(out, 0, value.getEpochSecond());
    MemorySegment.ofArray(out).set(BIG_ENDIAN_INT, LongCodec.BYTES, value.getNano());
    return out;
  }

  @Override
  public Instant decode(MemorySegment bytes) {
    FixedLength.check(bytes, BYTES, "Instant");
    long seconds = LongCodec.get(bytes, 0);
    int nanos = bytes.get(BIG_ENDIAN_INT, LongCodec.BYTES);
    if (nanos < 0 || nanos > 999_999_999) {
      throw new IllegalArgumentException("not an encoded Instant: nanos=" + nanos);
    }
    try {
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (DateTimeException e) {
      throw new IllegalArgumentException("not an encoded Instant: epochSecond=" + seconds, e);
    }
  }

  @Override
  public String toString() {
    return "Codec.instants()";
  }
}
