package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.BitSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidencyTest {
  private static final int SIZE = 8 << 20;

  @TempDir Path dir;

  @Test
  void shouldCountPagesBeforeAndAfterTouchAndEvict() throws IOException {
    assumeTrue(Platform.isLive(Feature.RESIDENCY), "mincore needs native access");
    Path path = writeFile(dir.resolve("residency.dat"));
    try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY);
        Mapping mapping = file.map()) {
      mapping.evict(0, SIZE);
      Residency evicted = mapping.residency();
      assertThat(evicted.isKnown()).isTrue();
      assertThat(evicted.pages()).isEqualTo(SIZE / Platform.pageSize());
      assertThat(evicted.residentPages()).isZero();

      mapping.advise(0, SIZE, Advice.RANDOM);
      mapping.touch(0, SIZE / 2);
      Residency half = mapping.residency();
      for (long page = 0; page < half.pages() / 2; page++) {
        assertThat(half.isResident(page)).as("page %d", page).isTrue();
      }
      assertThat(half.residentPages()).isBetween(half.pages() / 2, half.pages());

      mapping.evict(0, SIZE);
      assertThat(mapping.residency().residentPages()).isZero();
    }
  }

  @Test
  void shouldReportResidencyOfASubRange() throws IOException {
    assumeTrue(Platform.isLive(Feature.RESIDENCY), "mincore needs native access");
    Path path = writeFile(dir.resolve("subrange.dat"));
    try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY);
        Mapping mapping = file.map()) {
      mapping.evict(0, SIZE);
      mapping.advise(0, SIZE, Advice.RANDOM);
      long page = Platform.pageSize();
      mapping.getByte(5 * page + 17);
      Residency range = mapping.residency(4 * page, 4 * page);
      assertThat(range.pages()).isEqualTo(4);
      assertThat(range.isResident(1)).isTrue();
      assertThat(range.isResident(3)).isFalse();
    }
  }

  @Test
  void shouldDrawWherePagesAreResident() {
    BitSet bits = new BitSet();
    bits.set(0, 10);
    bits.set(15);
    Residency residency = Residency.known(4096, 20, bits);
    assertThat(residency.picture(4)).isEqualTo("OO .");
    assertThat(residency.picture(40)).hasSize(20);
    assertThat(residency.fraction()).isEqualTo(11 / 20.0);
    assertThat(Residency.unknown(4096, 20).picture(4)).isEqualTo("????");
    assertThat(Residency.unknown(4096, 20).residentPages()).isEqualTo(-1);
  }

  static Path writeFile(Path path) throws IOException {
    try (FileChannel channel =
        FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer block = ByteBuffer.allocate(1 << 20);
      for (int i = 0; i < SIZE; i += block.capacity()) {
        block.clear();
        while (block.hasRemaining()) {
          block.putLong(i + block.position());
        }
        channel.write(block.flip());
      }
      channel.force(true);
    }
    return path;
  }
}
