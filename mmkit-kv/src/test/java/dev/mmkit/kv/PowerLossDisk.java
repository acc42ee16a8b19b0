package dev.mmkit.kv;

import dev.mmkit.kv.internal.ChannelPageFile;
import dev.mmkit.kv.internal.PageFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * PowerLossDisk is a test-only file layer that remembers which writes were forced. The real file
 * receives every write (as the page cache would, so the mapping sees them); a shadow file receives
 * only what a force made durable. {@link #arm} makes the layer fail at a random later write or
 * force, as if the power went; {@link #powerCycle} then rebuilds the real file from the shadow plus
 * a random subset of the unforced writes, some of them torn at a sector boundary.
 */
final class PowerLossDisk {
  private static final int SECTOR = 512;

  private final Path file;
  private final Path shadow;
  private final Random random;
  private final List<Write> pending = new ArrayList<>();
  private long countdown = Long.MAX_VALUE;
  private int losses;

  private record Write(long position, byte[] bytes) {}

  /** PowerLoss is thrown by the layer at the moment the power goes. */
  static final class PowerLoss extends Error {
    private static final long serialVersionUID = 1L;

    PowerLoss() {
      super("simulated power loss");
    }
  }

  PowerLossDisk(Path file, long seed) throws IOException {
    this.file = file;
    this.shadow = file.resolveSibling(file.getFileName() + ".durable");
    this.random = new Random(seed);
    Files.deleteIfExists(shadow);
    Files.createFile(shadow);
  }

  /** Opens the data file through the layer; pass as the store's opener. */
  PageFile open(Path path, boolean writable) throws IOException {
    return new Layer(ChannelPageFile.open(path, writable));
  }

  /** Makes the power go at the {@code operations}-th write or force from now. */
  void arm(long operations) {
    countdown = operations;
  }

  /** Returns how many power losses happened. */
  int losses() {
    return losses;
  }

  /**
   * Rebuilds the data file as the disk would hold it after the power came back: every forced write,
   * plus each unforced one dropped, kept, or torn after a random number of sectors.
   */
  void powerCycle() throws IOException {
    Files.copy(shadow, file, StandardCopyOption.REPLACE_EXISTING);
    try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
      for (Write w : pending) {
        int choice = random.nextInt(10);
        int length = w.bytes().length;
        if (choice < 5) {
          continue;
        }
        if (choice == 9 && length > SECTOR) {
          length = SECTOR * (1 + random.nextInt((length - 1) / SECTOR));
        }
        out.seek(w.position());
        out.write(w.bytes(), 0, length);
      }
    }
    // What survived is on the disk now, durable for the next power loss too.
    Files.copy(file, shadow, StandardCopyOption.REPLACE_EXISTING);
    pending.clear();
    countdown = Long.MAX_VALUE;
  }

  private void tick() {
    if (--countdown < 0) {
      countdown = Long.MAX_VALUE;
      losses++;
      throw new PowerLoss();
    }
  }

  private void makeDurable() {
    try (RandomAccessFile out = new RandomAccessFile(shadow.toFile(), "rw")) {
      for (Write w : pending) {
        out.seek(w.position());
        out.write(w.bytes());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    pending.clear();
  }

  /** Layer is one open file of the disk. */
  private final class Layer implements PageFile {
    private final PageFile real;

    Layer(PageFile real) {
      this.real = real;
    }

    @Override
    public void write(ByteBuffer source, long position) throws IOException {
      tick();
      byte[] bytes = new byte[source.remaining()];
      source.duplicate().get(bytes);
      real.write(source, position);
      pending.add(new Write(position, bytes));
    }

    @Override
    public int read(ByteBuffer target, long position) throws IOException {
      return real.read(target, position);
    }

    @Override
    public void force(boolean metadata) {
      tick();
      makeDurable();
    }

    @Override
    public long size() throws IOException {
      return real.size();
    }

    @Override
    public void close() throws IOException {
      real.close();
    }
  }
}
