package dev.mmkit.kv.typed;

import java.lang.foreign.MemorySegment;

/** FixedLength checks that bytes given to a fixed-length codec have that codec's length. */
final class FixedLength {
  private FixedLength() {}

  /**
   * Throws {@link IllegalArgumentException} unless {@code bytes} is {@code length} bytes long.
   *
   * @param type what the codec decodes, for the message
   */
  static void check(MemorySegment bytes, int length, String type) {
    if (bytes.byteSize() != length) {
      throw new IllegalArgumentException(
          "not an encoded " + type + ": expected=" + length + " bytes, length=" + bytes.byteSize());
    }
  }
}
