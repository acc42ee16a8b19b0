package dev.mmkit.kv.typed;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * IntCodec encodes an int in 4 bytes, big-endian, with the sign bit flipped, so that unsigned byte
 * order is signed numeric order: {@code Integer.MIN_VALUE} becomes {@code 00 00 00 00}, -1 becomes
 * {@code 7F FF FF FF}, 0 becomes {@code 80 00 00 00}.
 */
final class IntCodec implements Codec<Integer> {
  static final IntCodec INSTANCE = new IntCodec();
  private static final int BYTES = Integer.BYTES;
  private static final ValueLayout.OfInt BIG_ENDIAN =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private IntCodec() {}

  @Override
  public byte[] encode(Integer value) {
    byte[] out = new byte[BYTES];
    MemorySegment.ofArray(out).set(BIG_ENDIAN, 0, value ^ Integer.MIN_VALUE);
    return out;
  }

  @Override
  public Integer decode(MemorySegment bytes) {
    FixedLength.check(bytes, BYTES, "int");
    return bytes.get(BIG_ENDIAN, 0) ^ Integer.MIN_VALUE;
  }

  @Override
  public String toString() {
    return "Codec.ints()";
  }
}
