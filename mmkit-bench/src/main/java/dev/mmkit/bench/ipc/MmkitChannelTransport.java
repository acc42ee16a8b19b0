package dev.mmkit.bench.ipc;

import dev.mmkit.ipc.ChannelOptions;
import dev.mmkit.ipc.ChannelReceiver;
import dev.mmkit.ipc.ChannelSender;
import dev.mmkit.ipc.MessageHandler;
import dev.mmkit.ipc.OneToOneChannel;
import dev.mmkit.ipc.WaitStrategy;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * MmkitChannelTransport links two processes with two mmkit {@link OneToOneChannel}s, one per
 * direction, each a 1 MiB ring in its own file beside Agrona's (under {@code /dev/shm}), both sides
 * busy-spinning like Agrona's ({@link WaitStrategy#busySpin()}; mmkit's default blocks on a futex
 * after spinning). It needs no JVM flag beyond native access.
 */
final class MmkitChannelTransport implements IpcTransport {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final ChannelOptions OPTIONS =
      ChannelOptions.defaults().withWaitStrategy(WaitStrategy.busySpin());

  private final ChannelSender sender;
  private final ChannelReceiver receiver;
  private final Copier copier = new Copier();
  private final Counter counter = new Counter();

  private MmkitChannelTransport(ChannelSender sender, ChannelReceiver receiver) {
    this.sender = sender;
    this.receiver = receiver;
  }

  /** Creates both channels in {@code directory}; the first process calls this. */
  static MmkitChannelTransport create(Path directory) {
    return link(directory, "a", "b");
  }

  /** Attaches to the channels the first process created, with directions swapped. */
  static MmkitChannelTransport open(Path directory) {
    return link(directory, "b", "a");
  }

  private static MmkitChannelTransport link(Path directory, String out, String in) {
    ChannelSender sender = OneToOneChannel.openSender(file(directory, out), OPTIONS);
    try {
      return new MmkitChannelTransport(
          sender, OneToOneChannel.openReceiver(file(directory, in), OPTIONS));
    } catch (RuntimeException e) {
      sender.close();
      throw e;
    }
  }

  private static Path file(Path directory, String name) {
    return directory.resolve("mmkit-channel-" + name);
  }

  private ByteBuffer outBuffer;
  private MemorySegment outMemory;
  private ByteBuffer inBuffer;
  private MemorySegment inMemory;

  /**
   * Returns a view of the whole of {@code buffer}, made once per buffer: {@code
   * MemorySegment.ofBuffer} creates a new memory session on every call, which cost more than the
   * send itself in a first version of this adapter (JFR: 61% of the throughput run's samples).
   */
  private static MemorySegment wholeOf(ByteBuffer buffer) {
    return MemorySegment.ofBuffer(buffer.duplicate().clear());
  }

  /**
   * Returns the part of {@code whole} between the buffer's position and limit, sliced if needed.
   */
  private static MemorySegment view(MemorySegment whole, ByteBuffer buffer) {
    return buffer.position() == 0 && buffer.remaining() == whole.byteSize()
        ? whole
        : whole.asSlice(buffer.position(), buffer.remaining());
  }

  @Override
  public void send(ByteBuffer message) {
    if (message != outBuffer) {
      outBuffer = message;
      outMemory = wholeOf(message);
    }
    sender.send(view(outMemory, message), TIMEOUT);
    message.position(message.limit());
  }

  @Override
  public void receive(ByteBuffer into) throws IOException {
    if (into != inBuffer) {
      inBuffer = into;
      inMemory = wholeOf(into);
    }
    copier.target = view(inMemory, into);
    copier.length = 0;
    if (receiver.receive(copier, 1, TIMEOUT) == 0) {
      throw new IOException("no message within " + TIMEOUT);
    }
    into.position(into.position() + (int) copier.length);
  }

  @Override
  public long drain(ByteBuffer scratch, int messageSize) throws IOException {
    counter.bytes = 0;
    if (receiver.receive(counter, Integer.MAX_VALUE, TIMEOUT) == 0) {
      throw new IOException("no message within " + TIMEOUT);
    }
    return counter.bytes;
  }

  @Override
  public void close() {
    receiver.close();
    sender.close();
  }

  /** Copier copies a message out of the ring into the caller's buffer, allocating nothing. */
  private static final class Copier implements MessageHandler {
    MemorySegment target;
    long length;

    @Override
    public void onMessage(MemorySegment message) {
      onMessage(message, 0, message.byteSize());
    }

    @Override
    public void onMessage(MemorySegment buffer, long offset, long length) {
      MemorySegment.copy(buffer, offset, target, 0, length);
      this.length = length;
    }
  }

  /** Counter reads the first byte of each message and counts the bytes. */
  private static final class Counter implements MessageHandler {
    long bytes;

    @Override
    public void onMessage(MemorySegment message) {
      onMessage(message, 0, message.byteSize());
    }

    @Override
    public void onMessage(MemorySegment buffer, long offset, long length) {
      bytes += length + buffer.get(java.lang.foreign.ValueLayout.JAVA_BYTE, offset);
    }
  }
}
