package dev.mmkit.kv.typed;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * LongCodec encodes a long in 8 bytes, big-endian, with the sign bit flipped, so that unsigned byte
 * order is signed numeric order: {@code Long.MIN_VALUE} becomes {@code 00 00 .. 00}, -1 becomes
 * {@code 7F FF .. FF}, 0 becomes {@code 80 00 .. 00}.
 */
final class LongCodec implements Codec<Long> {
  static final LongCodec INSTANCE = new LongCodec();
  static final int BYTES = Long.BYTES;
  static final ValueLayout.OfLong BIG_ENDIAN =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private LongCodec() {}

  @Override
  public byte[] encode(Long value) {
    byte[] out = new byte[BYTES];
    put(out, 0, value);
    return out;
  }

  @Override
  public Long decode(MemorySegment bytes) {
    FixedLength.check(bytes, BYTES, "long");
    return get(bytes, 0);
  }

  /** Writes {@code value} in this codec's form at {@code offset} of {@code out}. */
  static void put(byte[] out, int offset, long value) {
    MemorySegment.ofArray(out).set(BIG_ENDIAN, offset, value ^ Long.MIN_VALUE);
  }

  /** Reads a long written by {@link #put} at {@code offset} of {@code bytes}. */
  static long get(MemorySegment bytes, long offset) {
    return bytes.get(BIG_ENDIAN, offset) ^ Long.MIN_VALUE;
  }

  @Override
  public String toString() {
    return "Codec.longs()";
  }
}
