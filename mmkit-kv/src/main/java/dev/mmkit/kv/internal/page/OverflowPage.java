package dev.mmkit.kv.internal.page;

import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32C;

/**
 * OverflowPage encodes and decodes overflow runs ({@link NodeLayout}): one large value after a page
 * header, spanning {@link NodeLayout#overflowPages} pages, zero-padded to the end of the last one.
 * The header's checksum covers the whole run, so the header is sealed from the value it describes;
 * the value itself is written as it is, in pieces.
 */
public final class OverflowPage {
  private OverflowPage() {}

  /**
   * Returns the sealed header of overflow run {@code first} of {@code pages} pages written by
   * {@code txid}, holding {@code value} followed by {@code padding} zeros.
   */
  public static byte[] header(long first, long txid, long pages, byte[] value, long padding) {
    byte[] head = new byte[PageLayout.HEADER_SIZE];
    PageLayout.writeHeader(head, PageLayout.OVERFLOW_TYPE, 0, 0, first, txid);
    Bytes.putInt(head, PageLayout.OVERFLOW, (int) (pages - 1));
    Bytes.putInt(head, PageLayout.LENGTH, value.length);
    CRC32C crc = new CRC32C();
    crc.update(head, 4, PageLayout.HEADER_SIZE - 4);
    crc.update(value);
    crc.update(new byte[(int) padding]);
    Bytes.putInt(head, PageLayout.CHECKSUM, (int) crc.getValue());
    return head;
  }

  /** Returns the zero bytes after a value of {@code length} bytes in a run of {@code pages}. */
  public static long padding(long pages, int length, int pageSize) {
    return pages * pageSize - PageLayout.HEADER_SIZE - length;
  }

  /** Returns the number of pages of the run whose verified header is at {@code off}. */
  public static long runPages(MemorySegment seg, long off) {
    return 1 + (Bytes.getInt(seg, off + PageLayout.OVERFLOW) & 0xFFFFFFFFL);
  }

  /** Returns the value length stored in the header at {@code off}. */
  public static long length(MemorySegment seg, long off) {
    return Bytes.getInt(seg, off + PageLayout.LENGTH) & 0xFFFFFFFFL;
  }

  /** Returns the offset of the first value byte of the run whose header is at {@code off}. */
  public static long valueOffset(long off) {
    return off + PageLayout.HEADER_SIZE;
  }
}
