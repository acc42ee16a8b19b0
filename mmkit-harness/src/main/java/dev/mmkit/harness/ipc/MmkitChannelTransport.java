package dev.mmkit.harness.ipc;

import dev.mmkit.ipc.ChannelOptions;
import dev.mmkit.ipc.ChannelReceiver;
import dev.mmkit.ipc.ChannelSender;
import dev.mmkit.ipc.MessageHandler;
import dev.mmkit.ipc.OneToOneChannel;
import dev.mmkit.ipc.WaitStrategy;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;

/**
 * MmkitChannelTransport links two processes with two mmkit {@link OneToOneChannel}s, one per
 * direction, each a ring of the default capacity in its own file, both ends waiting with the same
 * {@link WaitStrategy}: busy-spinning like Agrona's ring, or mmkit's default that spins a little
 * and then sleeps on a futex. It needs no JVM flag beyond native access.
 */
final class MmkitChannelTransport implements IpcTransport {
  /** How long one wait lasts before the end checks that its peer is still attached. */
  private static final Duration WAIT_SLICE = Duration.ofSeconds(1);

  private final ChannelSender sender;
  private final ChannelReceiver receiver;
  private final Duration patience;
  private final Copier copier = new Copier();
  private final Counter counter = new Counter();
  private ByteBuffer outBuffer;
  private MemorySegment outMemory;
  private ByteBuffer inBuffer;
  private MemorySegment inMemory;

  private MmkitChannelTransport(ChannelSender sender, ChannelReceiver receiver, Duration patience) {
    this.sender = sender;
    this.receiver = receiver;
    this.patience = patience;
  }

  /**
   * Opens this process's end in {@code directory}: the first process sends on channel {@code a} and
   * receives on {@code b}, its peer the other way round. Either may come first.
   */
  static MmkitChannelTransport link(
      Path directory, boolean first, WaitStrategy strategy, Duration patience) {
    ChannelOptions options = ChannelOptions.defaults().withWaitStrategy(strategy);
    Path a = directory.resolve("mmkit-channel-a");
    Path b = directory.resolve("mmkit-channel-b");
    ChannelSender sender = OneToOneChannel.openSender(first ? a : b, options);
    try {
      return new MmkitChannelTransport(
          sender, OneToOneChannel.openReceiver(first ? b : a, options), patience);
    } catch (RuntimeException e) {
      sender.close();
      throw e;
    }
  }

  /**
   * Returns a view of the whole of {@code buffer}, made once per buffer: {@code
   * MemorySegment.ofBuffer} creates a new memory session on every call, which costs more than a
   * send.
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
    sender.send(view(outMemory, message), patience);
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
    await(copier, 1);
    into.position(into.position() + (int) copier.length);
  }

  @Override
  public long drain(ByteBuffer scratch) throws IOException {
    counter.bytes = 0;
    await(counter, Integer.MAX_VALUE);
    return counter.bytes;
  }

  /** Receives up to {@code limit} messages, waiting for the first while the peer is attached. */
  private void await(MessageHandler handler, int limit) throws IOException {
    long deadline = System.nanoTime() + patience.toNanos();
    while (receiver.receive(handler, limit, WAIT_SLICE) == 0) {
      if (receiver.liveProducers() == 0) {
        throw new IOException("peer detached: file=" + receiver.path());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IOException(
            "no message: file=" + receiver.path() + ", waitedSeconds=" + patience.toSeconds());
      }
    }
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

  /** Counter counts the bytes of each message and reads its first byte, as a consumer would. */
  private static final class Counter implements MessageHandler {
    long bytes;

    /** The sum of each message's first byte: read by nobody, it makes the read happen. */
    long touched;

    @Override
    public void onMessage(MemorySegment message) {
      onMessage(message, 0, message.byteSize());
    }

    @Override
    public void onMessage(MemorySegment buffer, long offset, long length) {
      bytes += length;
      touched += buffer.get(ValueLayout.JAVA_BYTE, offset);
    }
  }
}
