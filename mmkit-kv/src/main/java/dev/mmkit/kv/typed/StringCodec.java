package dev.mmkit.kv.typed;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * StringCodec encodes a string as UTF-8. UTF-8 was designed so that unsigned byte order is the
 * order of code points; it is strict both ways, so that every stored key decodes to one string and
 * every string encodes to one key.
 */
final class StringCodec implements Codec<String> {
  static final StringCodec INSTANCE = new StringCodec();

  private StringCodec() {}

  @Override
  public byte[] encode(String value) {
    checkWellFormed(value);
    return value.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public String decode(MemorySegment bytes) {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes.toArray(ValueLayout.JAVA_BYTE)))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException(
          "not well-formed UTF-8: length=" + bytes.byteSize() + ", cause=" + e.getMessage(), e);
    }
  }

  /** Throws when {@code value} holds a surrogate without its pair, which UTF-8 cannot carry. */
  private static void checkWellFormed(String value) {
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < value.length()
          && Character.isLowSurrogate(value.charAt(i + 1))) {
        i += 2;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalArgumentException("unpaired surrogate in string: index=" + i);
      } else {
        i++;
      }
    }
  }

  @Override
  public String toString() {
    return "Codec.strings()";
  }
}
