package dev.mmkit.kv.internal.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** FileChannelPageFile is the real {@link PageFile}: a {@link FileChannel} on the data file. */
public final class FileChannelPageFile implements PageFile {
  private final FileChannel channel;

  private FileChannelPageFile(FileChannel channel) {
    this.channel = channel;
  }

  /** Opens the data file at {@code path}. */
  public static FileChannelPageFile open(Path path, boolean writable) throws IOException {
    return new FileChannelPageFile(
        writable
            ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
            : FileChannel.open(path, StandardOpenOption.READ));
  }

  @Override
  public void write(ByteBuffer source, long position) throws IOException {
    long at = position;
    while (source.hasRemaining()) {
      at += channel.write(source, at);
    }
  }

  @Override
  public int read(ByteBuffer target, long position) throws IOException {
    int total = 0;
    long at = position;
    while (target.hasRemaining()) {
      int n = channel.read(target, at);
      if (n < 0) {
        break;
      }
      total += n;
      at += n;
    }
    return total;
  }

  @Override
  public void force(boolean metadata) throws IOException {
    channel.force(metadata);
  }

  @Override
  public long size() throws IOException {
    return channel.size();
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
