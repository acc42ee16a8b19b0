package dev.mmkit.harness.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * BenchPeer is the second process of every IPC measurement, started by {@link PeerProcess}: it
 * connects one end of each link it is given, says {@code ready}, and then serves the {@link
 * PeerCommand}s it reads on standard input — echo, drain, or wait idle — until its standard input
 * closes, when it exits at once (its parent closed it, or died).
 */
public final class BenchPeer {
  /** The peer waits as long as its parent lives: it exits when its standard input closes. */
  private static final Duration PATIENCE = Duration.ofDays(1);

  private final Map<TransportKind, IpcTransport> links;
  private final PrintStream out;

  private BenchPeer(Map<TransportKind, IpcTransport> links, PrintStream out) {
    this.links = links;
    this.out = out;
  }

  /** Runs the peer: each argument is {@code KIND=ADDRESS}, as {@link PeerProcess} passes them. */
  public static void main(String[] args) throws IOException, InterruptedException {
    BlockingQueue<String> commands = readCommands();
    Map<TransportKind, IpcTransport> links = new EnumMap<>(TransportKind.class);
    for (String arg : args) {
      int equals = arg.indexOf('=');
      TransportKind kind = TransportKind.named(arg.substring(0, equals));
      links.put(kind, kind.connect(arg.substring(equals + 1), PATIENCE));
    }
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    out.println(PeerCommand.READY);
    BenchPeer peer = new BenchPeer(links, out);
    while (true) {
      peer.serve(PeerCommand.parse(commands.take()));
    }
  }

  /**
   * Starts the thread that reads commands from standard input, and halts this JVM when the input
   * ends: the parent closed it or died, and a peer must not outlive it (it may be spinning).
   */
  private static BlockingQueue<String> readCommands() {
    BlockingQueue<String> commands = new LinkedBlockingQueue<>();
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  commands.add(line);
                }
              } catch (IOException ignored) {
                // Same as the end of the input.
              }
              Runtime.getRuntime().halt(0);
            },
            "peer-commands");
    reader.setDaemon(true);
    reader.start();
    return commands;
  }

  private void serve(PeerCommand command) throws IOException {
    IpcTransport link = links.get(command.kind());
    if (link == null) {
      throw new IllegalArgumentException(
          "no link of this kind: transport=" + command.kind().label());
    }
    out.println(PeerCommand.GO);
    switch (command.verb()) {
      case ECHO -> echo(link, ByteBuffer.allocateDirect(command.size()), command.count());
      case DRAIN -> drain(link, command.size(), command.count());
      case IDLE -> idle(link, ByteBuffer.allocateDirect(command.size()));
      default -> throw new IllegalArgumentException("unknown verb: verb=" + command.verb());
    }
  }

  private static void echo(IpcTransport link, ByteBuffer message, long count) throws IOException {
    for (long i = 0; count == PeerCommand.FOREVER || i < count; i++) {
      message.clear();
      link.receive(message);
      message.flip();
      link.send(message);
    }
  }

  private static void drain(IpcTransport link, int size, long count) throws IOException {
    ByteBuffer scratch = ByteBuffer.allocateDirect(1 << 20);
    if (count == PeerCommand.FOREVER) {
      while (true) {
        link.drain(scratch);
      }
    }
    long bytes = count * size;
    for (long got = 0; got < bytes; ) {
      got += link.drain(scratch);
    }
    link.send(ByteBuffer.allocateDirect(8));
  }

  private void idle(IpcTransport link, ByteBuffer message) throws IOException {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long before = threads.getCurrentThreadCpuTime();
    link.receive(message);
    out.println(PeerCommand.cpuLine(threads.getCurrentThreadCpuTime() - before));
  }
}
