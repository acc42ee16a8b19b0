package dev.mmkit.kv.internal.storage;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * WritePieces bounds the size of the writes the store makes to files whose pages it later
 * overwrites one at a time: the zeros that grow the data file and the log, and the pages of a
 * backup.
 *
 * <p>The page cache keeps the pages of one write together as a single unit (a folio) for as long as
 * they stay cached, and every later write into a unit walks all of its blocks. Measured on ext4
 * (Linux 6.18, 2 cores), a 4 KiB {@code pwrite} into a page first written by a 1 MiB write took
 * about 4 us, into one first written by a 64 KiB write 0.8 us; a durable commit makes several such
 * writes, so the difference shows in its rate. Pieces are aligned to their size, as the kernel only
 * forms units at offsets aligned to theirs.
 */
final class WritePieces {
  /** The largest write, in bytes. */
  static final int SIZE = 64 << 10;

  private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(SIZE);

  private WritePieces() {}

  /** Writes zeros over {@code [from, to)} of {@code file}, in pieces. */
  static void zeros(PageFile file, long from, long to) throws IOException {
    ByteBuffer zeros = ZEROS.asReadOnlyBuffer();
    for (long at = from; at < to; ) {
      long end = Math.min(to, (at / SIZE + 1) * SIZE);
      file.write(zeros.clear().limit((int) (end - at)), at);
      at = end;
    }
  }
}
