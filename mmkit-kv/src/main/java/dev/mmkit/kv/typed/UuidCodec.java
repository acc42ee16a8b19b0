package dev.mmkit.kv.typed;

import java.lang.foreign.MemorySegment;
import java.util.UUID;

/**
 * UuidCodec encodes a UUID in 16 bytes: the most significant half, then the least significant half,
 * each as {@link LongCodec} writes a long. {@link UUID#compareTo} compares the two halves in that
 * order as signed longs, so unsigned byte order is its order.
 *
 * <pre>
 *   0                               8                              16
 *   +-------------------------------+-------------------------------+
 *   | mostSignificantBits ^ 1L<<63  | leastSignificantBits ^ 1L<<63 |
 *   | (big-endian)                  | (big-endian)                  |
 *   +-------------------------------+-------------------------------+
 * </pre>
 */
final class UuidCodec implements Codec<UUID> {
  static final UuidCodec INSTANCE = new UuidCodec();
  private static final int BYTES = 2 * LongCodec.BYTES;

  private UuidCodec() {}

  @Override
  public byte[] encode(UUID value) {
    byte[] out = new byte[BYTES];
    LongCodec.put(out, 0, value.getMostSignificantBits());
    LongCodec.put(out, LongCodec.BYTES, value.getLeastSignificantBits());
    return out;
  }

  @Override
  public UUID decode(MemorySegment bytes) {
    FixedLength.check(bytes, BYTES, "UUID");
    return new UUID(LongCodec.get(bytes, 0), LongCodec.get(bytes, LongCodec.BYTES));
  }

  @Override
  public String toString() {
    return "Codec.uuids()";
  }
}
