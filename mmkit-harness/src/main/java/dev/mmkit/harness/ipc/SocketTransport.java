package dev.mmkit.harness.ipc;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * SocketTransport links two processes with one blocking stream socket: a Unix domain socket or TCP
 * over loopback with {@code TCP_NODELAY}. The receiving side blocks in the kernel while waiting; a
 * peer that dies closes the connection, which ends the wait.
 */
final class SocketTransport implements IpcTransport {
  private final SocketChannel channel;

  private SocketTransport(SocketChannel channel) throws IOException {
    this.channel = channel;
    if (channel.getLocalAddress() instanceof InetSocketAddress) {
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
    }
  }

  /** Listens for the peer: a socket file in {@code directory}, or a TCP port on loopback. */
  static ServerSocketChannel listen(boolean unix, Path directory) throws IOException {
    if (unix) {
      ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      server.bind(UnixDomainSocketAddress.of(directory.resolve("ipc.sock")));
      return server;
    }
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
    return server;
  }

  /** Returns the address a peer connects to, as text for its command line. */
  static String address(ServerSocketChannel server) throws IOException {
    SocketAddress address = server.getLocalAddress();
    if (address instanceof InetSocketAddress inet) {
      return Integer.toString(inet.getPort());
    }
    return ((UnixDomainSocketAddress) address).getPath().toString();
  }

  /** Accepts the peer's connection. */
  static SocketTransport accept(ServerSocketChannel server) throws IOException {
    return new SocketTransport(server.accept());
  }

  /** Connects to a listening peer: a socket path, or a port on loopback. */
  static SocketTransport connect(boolean unix, String address) throws IOException {
    SocketAddress to =
        unix
            ? UnixDomainSocketAddress.of(address)
            : new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(address));
    return new SocketTransport(SocketChannel.open(to));
  }

  @Override
  public void send(ByteBuffer message) throws IOException {
    while (message.hasRemaining()) {
      channel.write(message);
    }
  }

  @Override
  public void receive(ByteBuffer into) throws IOException {
    while (into.hasRemaining()) {
      if (channel.read(into) < 0) {
        throw new IOException("peer closed the connection: transport=socket");
      }
    }
  }

  @Override
  public long drain(ByteBuffer scratch) throws IOException {
    scratch.clear();
    int n = channel.read(scratch);
    if (n < 0) {
      throw new IOException("peer closed the connection: transport=socket");
    }
    return n;
  }

  @Override
  public void close() throws IOException {
    channel.close();
  }
}
