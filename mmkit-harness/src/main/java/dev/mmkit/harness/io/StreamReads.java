package dev.mmkit.harness.io;

import java.io.BufferedInputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * StreamReads reads through a {@code BufferedInputStream} with its default 8 KiB buffer, the way
 * most Java code reads a file. A stream cannot seek, so each random read repositions the file and
 * starts a fresh buffered stream there: that is what a random read through a stream costs.
 */
final class StreamReads extends IoReads {
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final int CHUNK = 8192;

  private final FileInputStream file;
  private final byte[] buffer = new byte[CHUNK];

  StreamReads(IoDataset data) throws IOException {
    super(data);
    file = new FileInputStream(data.file().toFile());
  }

  @Override
  long random8(long[] offsets) throws IOException {
    long sum = 0;
    for (long offset : offsets) {
      file.getChannel().position(offset);
      readFully(new BufferedInputStream(file), 8);
      sum += (long) LONGS.get(buffer, 0);
    }
    return sum;
  }

  @Override
  long random4k(long[] offsets) throws IOException {
    long sum = 0;
    for (long offset : offsets) {
      file.getChannel().position(offset);
      readFully(new BufferedInputStream(file), IoDataset.PAGE);
      sum += sum(buffer, IoDataset.PAGE);
    }
    return sum;
  }

  @Override
  long scan() throws IOException {
    long sum = 0;
    try (InputStream in = new BufferedInputStream(Files.newInputStream(data.file()))) {
      for (int n = in.readNBytes(buffer, 0, CHUNK); n > 0; n = in.readNBytes(buffer, 0, CHUNK)) {
        sum += sum(buffer, n);
      }
    }
    return sum;
  }

  @Override
  long smallFiles(Path[] files) throws IOException {
    long sum = 0;
    for (Path path : files) {
      try (InputStream in = new BufferedInputStream(Files.newInputStream(path))) {
        sum += sum(buffer, in.readNBytes(buffer, 0, CHUNK));
      }
    }
    return sum;
  }

  private void readFully(InputStream in, int length) throws IOException {
    if (in.readNBytes(buffer, 0, length) != length) {
      throw new IOException("unexpected end of file: length=" + length);
    }
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
