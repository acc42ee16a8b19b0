package dev.mmkit.bench.ipc;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * IpcPeer is the process at the other end of an IPC benchmark: it echoes every message back ({@code
 * echo}, for round trips) or receives and drops them as fast as it can ({@code drain}, for
 * throughput). It exits when its parent closes its standard input or dies.
 */
public final class IpcPeer {
  private IpcPeer() {}

  /** Runs the peer: {@code TRANSPORT MODE MESSAGE_SIZE ADDRESS}. */
  public static void main(String[] args) throws IOException {
    String name = args[0];
    String mode = args[1];
    int size = Integer.parseInt(args[2]);
    String address = args[3];
    IpcTransport transport =
        switch (name) {
          case "mmkit" -> MmkitChannelTransport.open(Path.of(address));
          case "agrona" -> AgronaTransport.open(Path.of(address));
          case "uds" -> SocketTransport.connect(true, address);
          case "tcp" -> SocketTransport.connect(false, address);
          default -> throw new IllegalArgumentException("unknown transport: transport=" + name);
        };
    exitWithParent();
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println("ready");
    if (mode.equals("echo")) {
      ByteBuffer message = ByteBuffer.allocateDirect(size);
      while (true) {
        message.clear().limit(size);
        transport.receive(message);
        message.flip();
        transport.send(message);
      }
    }
    ByteBuffer scratch = ByteBuffer.allocateDirect(1 << 20);
    while (true) {
      transport.drain(scratch, size);
    }
  }

  private static void exitWithParent() {
    Thread watcher =
        new Thread(
            () -> {
              try {
                InputStream in = System.in;
                while (in.read() >= 0) {
                  // The parent never writes; end of input means it closed the pipe or died.
                }
              } catch (IOException ignored) {
                // Same as end of input.
              }
              Runtime.getRuntime().halt(0);
            },
            "parent-watcher");
    watcher.setDaemon(true);
    watcher.start();
  }
}
