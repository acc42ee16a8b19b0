package dev.mmkit.harness.io;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Path;

/**
 * RandomAccessFileReads reads with {@code RandomAccessFile}: seek, then {@code readFully} into a
 * reused heap array (1 MiB chunks for the scan).
 */
final class RandomAccessFileReads extends IoReads {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());

  private final RandomAccessFile file;
  private final byte[] buffer = new byte[ChannelReads.SCAN_CHUNK];

  RandomAccessFileReads(IoDataset data) throws IOException {
    super(data);
    file = new RandomAccessFile(data.file().toFile(), "r");
  }

  @Override
  long random8(long[] offsets) throws IOException {
    long sum = 0;
    for (long offset : offsets) {
      file.seek(offset);
      file.readFully(buffer, 0, 8);
      sum += (long) LONGS.get(buffer, 0);
    }
    return sum;
  }

  @Override
  long random4k(long[] offsets) throws IOException {
    long sum = 0;
    for (long offset : offsets) {
      file.seek(offset);
      file.readFully(buffer, 0, IoDataset.PAGE);
      sum += sum(buffer, IoDataset.PAGE);
    }
    return sum;
  }

  @Override
  long scan() throws IOException {
    long sum = 0;
    file.seek(0);
    for (long at = 0; at < data.size(); at += buffer.length) {
      int n = (int) Math.min(buffer.length, data.size() - at);
      file.readFully(buffer, 0, n);
      sum += sum(buffer, n);
    }
    return sum;
  }

  @Override
  long smallFiles(Path[] files) throws IOException {
    long sum = 0;
    for (Path path : files) {
      try (RandomAccessFile small = new RandomAccessFile(path.toFile(), "r")) {
        int n = (int) small.length();
        small.readFully(buffer, 0, n);
        sum += sum(buffer, n);
      }
    }
    return sum;
  }

  private static long sum(byte[] bytes, int length) {
    long sum = 0;
    for (int at = 0; at < length; at += 8) {
      sum += (long) LONGS.get(bytes, at);
    }
    return sum;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
