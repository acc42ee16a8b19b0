package dev.mmkit.cli.ipc;

import dev.mmkit.ipc.ChannelOptions;
import dev.mmkit.ipc.ChannelReceiver;
import dev.mmkit.ipc.ChannelSender;
import dev.mmkit.ipc.MessageHandler;
import dev.mmkit.ipc.OneToOneChannel;
import dev.mmkit.ipc.WaitStrategy;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * BenchLink is one end of a two-way link between the two processes of {@code mmkit ipc bench}: a
 * pair of mmkit channels or a socket. Messages have fixed sizes known to both ends.
 */
abstract class BenchLink implements AutoCloseable {
  static final int MAX_MESSAGE = 4096;
  final byte[] buffer = new byte[MAX_MESSAGE];

  /** Sends {@code length} bytes of {@link #buffer} as one message. */
  abstract void send(int length) throws IOException;

  /** Receives one message of {@code length} bytes into {@link #buffer}. */
  abstract void receiveOne(int length) throws IOException;

  /** Receives at least one and at most {@code max} messages of {@code length} bytes. */
  abstract long receiveMany(int length, long max) throws IOException;

  @Override
  public abstract void close() throws IOException;

  /** Returns the link over a pair of one-to-one channels: {@code out} to send, {@code in}. */
  static BenchLink channels(Path out, Path in, WaitStrategy strategy) {
    return new ChannelLink(out, in, strategy);
  }

  /** Returns the link over a connected socket. */
  static BenchLink socket(SocketChannel socket) throws IOException {
    if (socket.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
      socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }
    return new SocketLink(socket);
  }

  /** ChannelLink sends on one channel and receives on another. */
  private static final class ChannelLink extends BenchLink {
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private final ChannelSender sender;
    private final ChannelReceiver receiver;
    private final MemorySegment whole = MemorySegment.ofArray(buffer);
    private final MessageHandler copyIn;
    private final MessageHandler count;
    private MemorySegment view = whole;
    private long touched;

    ChannelLink(Path out, Path in, WaitStrategy strategy) {
      ChannelOptions options = ChannelOptions.defaults().withWaitStrategy(strategy);
      this.sender = OneToOneChannel.openSender(out, options);
      this.receiver = OneToOneChannel.openReceiver(in, options);
      this.copyIn = new InPlace(true);
      this.count = new InPlace(false);
    }

    /** InPlace reads messages where they lie, allocating nothing (see MessageHandler). */
    private final class InPlace implements MessageHandler {
      private final boolean copy;

      InPlace(boolean copy) {
        this.copy = copy;
      }

      @Override
      public void onMessage(MemorySegment message) {
        onMessage(message, 0, message.byteSize());
      }

      @Override
      public void onMessage(MemorySegment buffer, long offset, long length) {
        if (copy) {
          MemorySegment.copy(buffer, offset, whole, 0, length);
        } else {
          touched += buffer.get(ValueLayout.JAVA_BYTE, offset);
        }
      }
    }

    @Override
    void send(int length) {
      if (view.byteSize() != length) {
        view = whole.asSlice(0, length);
      }
      sender.send(view, PATIENCE);
    }

    @Override
    void receiveOne(int length) {
      while (receiver.receive(copyIn, 1, PATIENCE) == 0) {
        checkPeer();
      }
    }

    @Override
    long receiveMany(int length, long max) {
      int got;
      while ((got = receiver.receive(count, (int) Math.min(max, 1024), PATIENCE)) == 0) {
        checkPeer();
      }
      return got;
    }

    private void checkPeer() {
      if (receiver.liveProducers() == 0) {
        throw new IllegalStateException("bench peer died: file=" + receiver.path());
      }
    }

    @Override
    public void close() {
      sender.close();
      receiver.close();
    }
  }

  /** SocketLink writes each message with its own call and reads in bulk. */
  private static final class SocketLink extends BenchLink {
    private final SocketChannel socket;
    private final ByteBuffer in = ByteBuffer.allocateDirect(256 << 10);
    private final ByteBuffer out = ByteBuffer.allocateDirect(MAX_MESSAGE);
    private long pending;

    SocketLink(SocketChannel socket) {
      this.socket = socket;
    }

    @Override
    void send(int length) throws IOException {
      out.clear().put(buffer, 0, length).flip();
      while (out.hasRemaining()) {
        socket.write(out);
      }
    }

    @Override
    void receiveOne(int length) throws IOException {
      ByteBuffer one = ByteBuffer.wrap(buffer, 0, length);
      while (one.hasRemaining()) {
        if (socket.read(one) < 0) {
          throw new IOException("bench peer closed the socket");
        }
      }
    }

    @Override
    long receiveMany(int length, long max) throws IOException {
      while (true) {
        in.clear();
        int limit = (int) Math.min(in.capacity(), max * length - pending);
        in.limit(limit);
        int n = socket.read(in);
        if (n < 0) {
          throw new IOException("bench peer closed the socket");
        }
        pending += n;
        long messages = pending / length;
        pending %= length;
        if (messages > 0) {
          return messages;
        }
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
