package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * MappingPropertyTest writes random sequences of typed and bulk values through a file mapping and
 * checks every read, and the file on disk after sync, against a plain byte array.
 */
class MappingPropertyTest {
  private static final int SIZE = 3 * 4096 + 100;

  private Path dir;

  @BeforeProperty
  void createDirectory() throws IOException {
    dir = Files.createTempDirectory("mmkit-property");
  }

  @AfterProperty
  void deleteDirectory() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path file : files.toList()) {
        Files.delete(file);
      }
    }
    Files.delete(dir);
  }

  record Write(int kind, int offset, long value) {}

  @Provide
  Arbitrary<List<Write>> writes() {
    Arbitrary<Write> write =
        Combinators.combine(
                Arbitraries.integers().between(0, 3),
                Arbitraries.integers().between(0, SIZE - 64),
                Arbitraries.longs())
            .as(Write::new);
    return write.list().ofMaxSize(200);
  }

  @Property(tries = 60)
  void shouldReadBackWhatWasWrittenAndPersistItOnSync(
      @ForAll("writes") List<Write> writes, @ForAll boolean reopen) throws IOException {
    Path path = Files.createTempFile(dir, "prop", ".dat");
    Files.delete(path);
    ByteBuffer model = ByteBuffer.allocate(SIZE).order(ByteOrder.nativeOrder());
    try (MappedFile file = MappedFile.create(path, SIZE);
        Mapping mapping = file.map()) {
      for (Write write : writes) {
        apply(mapping, model, write);
        assertThat(mapping.getLong(write.offset())).isEqualTo(model.getLong(write.offset()));
      }
      mapping.sync();
      byte[] copy = new byte[SIZE];
      mapping.read(0, copy, 0, SIZE);
      assertThat(copy).isEqualTo(model.array());
    }
    if (reopen) {
      try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY);
          Mapping mapping = file.map(7, SIZE - 7)) {
        assertThat(mapping.getLong(100)).isEqualTo(model.getLong(107));
      }
    }
    assertThat(Files.readAllBytes(path)).isEqualTo(model.array());
  }

  private static void apply(Mapping mapping, ByteBuffer model, Write write) {
    int offset = write.offset();
    switch (write.kind()) {
      case 0 -> {
        mapping.putByte(offset, (byte) write.value());
        model.put(offset, (byte) write.value());
      }
      case 1 -> {
        mapping.putInt(offset, (int) write.value());
        model.putInt(offset, (int) write.value());
      }
      case 2 -> {
        mapping.putLong(offset, write.value());
        model.putLong(offset, write.value());
      }
      default -> {
        byte[] bytes = ByteBuffer.allocate(40).putLong(write.value()).array();
        mapping.write(offset, bytes, 0, bytes.length);
        model.put(offset, bytes);
      }
    }
  }
}
