package dev.mmkit.harness.ipc;

import java.io.File;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import org.agrona.IoUtil;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * AgronaTransport links two processes with two Agrona {@link OneToOneRingBuffer}s of 1 MiB, one per
 * direction, each on its own memory-mapped file (under {@code /dev/shm} where it exists, as Aeron
 * does). Both sides busy-spin while waiting. Agrona 2.x reaches memory through the JDK's internal
 * {@code jdk.internal.misc.Unsafe}: both processes need {@link TransportKind#jvmArgs()}.
 */
final class AgronaTransport implements IpcTransport {
  static final int CAPACITY = 1 << 20;
  private static final int MESSAGE_TYPE = 1;

  private final MappedByteBuffer outFile;
  private final MappedByteBuffer inFile;
  private final OneToOneRingBuffer out;
  private final OneToOneRingBuffer in;
  private final UnsafeBuffer source = new UnsafeBuffer(0, 0);
  private final SpinWait sendWait;
  private final SpinWait receiveWait;
  private ByteBuffer target;
  private long drained;

  /** The sum of each drained message's first byte: read by nobody, it makes the read happen. */
  private long touched;

  private final MessageHandler copier = this::copy;
  private final MessageHandler counter = this::count;

  private AgronaTransport(MappedByteBuffer outFile, MappedByteBuffer inFile, Duration patience) {
    this.outFile = outFile;
    this.inFile = inFile;
    this.out = new OneToOneRingBuffer(new UnsafeBuffer(outFile));
    this.in = new OneToOneRingBuffer(new UnsafeBuffer(inFile));
    this.sendWait = new SpinWait(patience, "agrona (room to send)");
    this.receiveWait = new SpinWait(patience, "agrona");
  }

  /**
   * Opens this process's end in {@code directory}: the first process creates both ring files and
   * writes to {@code a}; its peer, which must come second, maps them with directions swapped.
   */
  static AgronaTransport link(Path directory, boolean first, Duration patience) {
    if (first) {
      long length = CAPACITY + RingBufferDescriptor.TRAILER_LENGTH;
      MappedByteBuffer a = IoUtil.mapNewFile(file(directory, "a"), length);
      MappedByteBuffer b = IoUtil.mapNewFile(file(directory, "b"), length);
      return new AgronaTransport(a, b, patience);
    }
    MappedByteBuffer a = IoUtil.mapExistingFile(file(directory, "a"), "ring a");
    MappedByteBuffer b = IoUtil.mapExistingFile(file(directory, "b"), "ring b");
    return new AgronaTransport(b, a, patience);
  }

  private static File file(Path directory, String name) {
    return directory.resolve("agrona-ring-" + name).toFile();
  }

  @Override
  public void send(ByteBuffer message) throws IOException {
    source.wrap(message, message.position(), message.remaining());
    sendWait.begin();
    while (!out.write(MESSAGE_TYPE, source, 0, message.remaining())) {
      sendWait.spin();
    }
    message.position(message.limit());
  }

  @Override
  public void receive(ByteBuffer into) throws IOException {
    target = into;
    receiveWait.begin();
    while (in.read(copier, 1) == 0) {
      receiveWait.spin();
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
  public long drain(ByteBuffer scratch) throws IOException {
    drained = 0;
    receiveWait.begin();
    while (in.read(counter) == 0) {
      receiveWait.spin();
    }
    return drained;
  }

  private void count(int type, MutableDirectBuffer buffer, int index, int length) {
    drained += length;
    touched += buffer.getByte(index);
  }

  @Override
  public void close() {
    IoUtil.unmap(outFile);
    IoUtil.unmap(inFile);
  }
}
