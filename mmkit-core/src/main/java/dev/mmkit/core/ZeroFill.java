package dev.mmkit.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * ZeroFill grows a file by writing zeros block by block. Unlike a sparse extension, each written
 * block is allocated now, so a full disk fails here with {@link FullException} instead of later as
 * SIGBUS on a mapped page. It serves where {@code fallocate} is missing or unsupported.
 */
final class ZeroFill {
  private static final int BLOCK = 64 << 10;

  private ZeroFill() {}

  static void allocate(FileChannel channel, Path path, long offset, long length) {
    ByteBuffer zeros = ByteBuffer.allocateDirect(BLOCK);
    long end = offset + length;
    try {
      for (long at = offset; at < end; ) {
        zeros.clear().limit((int) Math.min(BLOCK, end - at));
        at += channel.write(zeros, at);
      }
    } catch (IOException e) {
      if (String.valueOf(e.getMessage()).contains("No space left")) {
        throw noSpace(path, offset, length, e);
      }
      throw new MmkitException("growing file failed: file=" + path + ", size=" + end, e);
    }
  }

  static FullException noSpace(Path path, long offset, long length, Throwable cause) {
    return new FullException(
        "no space left on device while growing: file="
            + path
            + ", offset="
            + offset
            + ", length="
            + length,
        cause);
  }
}
