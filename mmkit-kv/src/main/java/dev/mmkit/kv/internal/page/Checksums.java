package dev.mmkit.kv.internal.page;

import java.util.zip.CRC32C;

/** Checksums computes the CRC32C page checksums of the file format, on heap copies only. */
public final class Checksums {
  private Checksums() {}

  /** Returns the CRC32C of {@code b[from, to)}. */
  public static int crc(byte[] b, int from, int to) {
    CRC32C crc = new CRC32C();
    crc.update(b, from, to - from);
    return (int) crc.getValue();
  }

  /** Stores the checksum of a one-page buffer ({@code b[4, length)}) in its header. */
  public static void seal(byte[] page) {
    Bytes.putInt(page, PageLayout.CHECKSUM, crc(page, 4, page.length));
  }

  /** Returns whether a one-page buffer carries the right checksum. */
  public static boolean verify(byte[] page) {
    return Bytes.getInt(page, PageLayout.CHECKSUM) == crc(page, 4, page.length);
  }
}
