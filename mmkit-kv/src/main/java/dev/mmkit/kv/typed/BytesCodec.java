package dev.mmkit.kv.typed;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** BytesCodec stores a byte array as it is; encoding and decoding copy it. */
final class BytesCodec implements Codec<byte[]> {
  static final BytesCodec INSTANCE = new BytesCodec();

  private BytesCodec() {}

  @Override
  public byte[] encode(byte[] value) {
    return value.clone();
  }

  @Override
  public byte[] decode(MemorySegment bytes) {
    return bytes.toArray(ValueLayout.JAVA_BYTE);
  }

  @Override
  public String toString() {
    return "Codec.bytes()";
  }
}
