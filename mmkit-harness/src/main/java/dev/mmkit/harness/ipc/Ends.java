package dev.mmkit.harness.ipc;

import java.io.IOException;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Ends sets up the two ends of one kind of link: {@link #listen} in the first process, which makes
 * whatever the peer needs and names it in an address, and {@link #connect} in the peer process,
 * given that address. Links through shared files are made by one method called with {@code first}
 * true or false; socket links listen, connect and accept.
 */
abstract class Ends {

  /** Makes this process's end ready in {@code directory}, which exists and is empty. */
  abstract Rendezvous listen(Path directory, Duration patience) throws IOException;

  /** Connects the peer's end to the {@link Rendezvous#address()} of the first process. */
  abstract IpcTransport connect(String address, Duration patience) throws IOException;

  /** Returns the ends of a link through files in a directory, both made by {@code link}. */
  static Ends sharedFiles(FileLink link) {
    return new SharedFiles(link);
  }

  /** Returns the ends of a stream socket: a Unix domain socket or TCP over loopback. */
  static Ends socket(boolean unix) {
    return new Socket(unix);
  }

  /** FileLink opens one end of a link through files in {@code directory}. */
  @FunctionalInterface
  interface FileLink {
    /** Opens the first process's end when {@code first}, the peer's otherwise. */
    IpcTransport link(Path directory, boolean first, Duration patience) throws IOException;
  }

  /**
   * Rendezvous is the first process's side of a link being set up: the address to give the peer,
   * and this process's end once the peer has connected.
   */
  interface Rendezvous extends AutoCloseable {
    /** Returns what the peer connects to, as text for its command line. */
    String address();

    /** Returns this process's end; call it once the peer has connected. */
    IpcTransport accept() throws IOException;

    /** Releases what the link was set up with, and this process's end if never accepted. */
    @Override
    void close() throws IOException;
  }

  /** SharedFiles links through files the first process creates in a directory. */
  private static final class SharedFiles extends Ends {
    private final FileLink link;

    SharedFiles(FileLink link) {
      this.link = link;
    }

    @Override
    Rendezvous listen(Path directory, Duration patience) throws IOException {
      IpcTransport end = link.link(directory, true, patience);
      return new Rendezvous() {
        private boolean accepted;

        @Override
        public String address() {
          return directory.toString();
        }

        @Override
        public IpcTransport accept() {
          accepted = true;
          return end;
        }

        @Override
        public void close() throws IOException {
          if (!accepted) {
            end.close();
          }
        }
      };
    }

    @Override
    IpcTransport connect(String address, Duration patience) throws IOException {
      return link.link(Path.of(address), false, patience);
    }
  }

  /** Socket links through a listening socket that the peer connects to. */
  private static final class Socket extends Ends {
    private final boolean unix;

    Socket(boolean unix) {
      this.unix = unix;
    }

    @Override
    Rendezvous listen(Path directory, Duration patience) throws IOException {
      ServerSocketChannel server = SocketTransport.listen(unix, directory);
      String address = SocketTransport.address(server);
      return new Rendezvous() {
        @Override
        public String address() {
          return address;
        }

        @Override
        public IpcTransport accept() throws IOException {
          return SocketTransport.accept(server);
        }

        @Override
        public void close() throws IOException {
          server.close();
        }
      };
    }

    @Override
    IpcTransport connect(String address, Duration patience) throws IOException {
      return SocketTransport.connect(unix, address);
    }
  }
}
