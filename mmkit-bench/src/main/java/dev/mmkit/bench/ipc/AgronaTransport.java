package dev.mmkit.bench.ipc;

import java.io.File;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * AgronaTransport links two processes with two Agrona {@link OneToOneRingBuffer}s, one per
 * direction, each on its own memory-mapped file (under {@code /dev/shm} where it exists, as Aeron
 * does). Both sides busy-spin while waiting.
 */
final class AgronaTransport implements IpcTransport {
  static final int CAPACITY = 1 << 20;
  private static final int MESSAGE_TYPE = 1;

  private final MappedByteBuffer outFile;
  private final MappedByteBuffer inFile;
  private final OneToOneRingBuffer out;
  private final OneToOneRingBuffer in;
  private final UnsafeBuffer source = new UnsafeBuffer(0, 0);
  private ByteBuffer target;
  private long drained;
  private final MessageHandler copier = this::copy;
  private final MessageHandler counter = this::count;

  private AgronaTransport(MappedByteBuffer outFile, MappedByteBuffer inFile) {
    this.outFile = outFile;
    this.inFile = inFile;
    this.out = new OneToOneRingBuffer(new UnsafeBuffer(outFile));
    this.in = new OneToOneRingBuffer(new UnsafeBuffer(inFile));
  }

  /** Creates both ring files in {@code directory}; the first process calls this. */
  static AgronaTransport create(Path directory) {
    long length = CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
    MappedByteBuffer a = IoUtil.mapNewFile(file(directory, "a"), length);
    MappedByteBuffer b = IoUtil.mapNewFile(file(directory, "b"), length);
    return new AgronaTransport(a, b);
  }

  /** Maps the ring files the first process created, with directions swapped. */
  static AgronaTransport open(Path directory) {
    MappedByteBuffer a = IoUtil.mapExistingFile(file(directory, "a"), "ring a");
    MappedByteBuffer b = IoUtil.mapExistingFile(file(directory, "b"), "ring b");
    return new AgronaTransport(b, a);
  }

  private static File file(Path directory, String name) {
    return directory.resolve("agrona-ring-" + name).toFile();
  }

  @Override
  public void send(ByteBuffer message) {
    source.wrap(message, message.position(), message.remaining());
    while (!out.write(MESSAGE_TYPE, source, 0, message.remaining())) {
      Thread.onSpinWait();
    }
    message.position(message.limit());
  }

  @Override
  public void receive(ByteBuffer into) {
    target = into;
    while (in.read(copier, 1) == 0) {
      Thread.onSpinWait();
    }
  }

  /**
   * Copies a message into the target and moves its position past it, as {@link
   * IpcTransport#receive} promises: the echoing peer flips the buffer and sends back what it
   * received, so a position left behind would make it echo an empty message.
   */
  private void copy(int type, MutableDirectBuffer buffer, int index, int length) {
    buffer.getBytes(index, target, target.position(), length);
    target.position(target.position() + length);
  }

  @Override
  public long drain(ByteBuffer scratch, int messageSize) {
    drained = 0;
    while (in.read(counter) == 0) {
      Thread.onSpinWait();
    }
    return drained;
  }

  private void count(int type, MutableDirectBuffer buffer, int index, int length) {
    drained += length + buffer.getByte(index);
  }

  @Override
  public void close() {
    IoUtil.unmap(outFile);
    IoUtil.unmap(inFile);
  }
}
