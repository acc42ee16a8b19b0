package dev.mmkit.harness.io;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * ChannelReads reads with {@code FileChannel.read} at a position into a reused direct buffer: 8
 * bytes, 4 KiB, or 1 MiB chunks for the scan.
 */
final class ChannelReads extends IoReads {
  static final int SCAN_CHUNK = 1 << 20;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;

  private final FileChannel channel;
  private final ByteBuffer buffer = ByteBuffer.allocateDirect(SCAN_CHUNK);
  private final MemorySegment memory = MemorySegment.ofBuffer(buffer);

  ChannelReads(IoDataset data) throws IOException {
    super(data);
    channel = FileChannel.open(data.file(), StandardOpenOption.READ);
  }

  @Override
  long random8(long[] offsets) throws IOException {
    long sum = 0;
    for (long offset : offsets) {
      readFully(channel, offset, 8);
      sum += memory.get(LONG, 0);
    }
    return sum;
  }

  @Override
  long random4k(long[] offsets) throws IOException {
    long sum = 0;
    for (long offset : offsets) {
      readFully(channel, offset, IoDataset.PAGE);
      sum += sum(memory, IoDataset.PAGE);
    }
    return sum;
  }

  @Override
  long scan() throws IOException {
    long sum = 0;
    for (long at = 0; at < data.size(); at += SCAN_CHUNK) {
      int n = (int) Math.min(SCAN_CHUNK, data.size() - at);
      readFully(channel, at, n);
      sum += sum(memory, n);
    }
    return sum;
  }

  @Override
  long smallFiles(Path[] files) throws IOException {
    long sum = 0;
    for (Path file : files) {
      try (FileChannel small = FileChannel.open(file, StandardOpenOption.READ)) {
        int n = readFully(small, 0, (int) Math.min(buffer.capacity(), small.size()));
        sum += sum(memory, n);
      }
    }
    return sum;
  }

  private int readFully(FileChannel from, long position, int length) throws IOException {
    buffer.clear().limit(length);
    while (buffer.hasRemaining()) {
      if (from.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("unexpected end of file: position=" + position);
      }
    }
    return length;
  }

  private static long sum(MemorySegment memory, long length) {
    long sum = 0;
    for (long at = 0; at < length; at += 8) {
      sum += memory.get(LONG, at);
    }
    return sum;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
