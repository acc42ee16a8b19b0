package dev.mmkit.kv.typed;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;
import java.util.function.Function;

/** FunctionCodec is a {@link Codec} made of an encoding and a decoding function. */
final class FunctionCodec<T> implements Codec<T> {
  private final Function<? super T, byte[]> encoder;
  private final Function<byte[], ? extends T> decoder;

  FunctionCodec(Function<? super T, byte[]> encoder, Function<byte[], ? extends T> decoder) {
    this.encoder = Objects.requireNonNull(encoder, "encoder");
    this.decoder = Objects.requireNonNull(decoder, "decoder");
  }

  @Override
  public byte[] encode(T value) {
    byte[] bytes = encoder.apply(Objects.requireNonNull(value, "value"));
    if (bytes == null) {
      throw new IllegalArgumentException("encoder returned null: value=" + value);
    }
    return bytes;
  }

  @Override
  public T decode(MemorySegment bytes) {
    return decoder.apply(bytes.toArray(ValueLayout.JAVA_BYTE));
  }

  @Override
  public T decode(byte[] bytes) {
    return decoder.apply(bytes.clone());
  }
}
