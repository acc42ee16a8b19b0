package dev.mmkit.cli.ipc;

import dev.mmkit.ipc.WaitStrategy;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

/**
 * IpcBenchPeer is the second process of {@code mmkit ipc bench}: it echoes the pings, counts the
 * throughput messages and acknowledges each run (each size twice: warm-up, then measured), then
 * sleeps in a blocking receive and reports the CPU time its thread used while waiting. Arguments:
 * transport, address, warm-up and measured round trips, 32-byte and 4 KiB message counts.
 */
public final class IpcBenchPeer {
  private IpcBenchPeer() {}

  /** Runs the peer; see the class comment for the arguments. */
  public static void main(String[] args) throws Exception {
    String transport = args[0];
    String address = args[1];
    long small = Long.parseLong(args[2]);
    long large = Long.parseLong(args[3]);
    try (BenchLink link = connect(transport, address)) {
      boolean last = false;
      while (!last) {
        link.receiveOne(IpcBenchCommand.PING);
        last = link.buffer[0] == 1;
        link.send(IpcBenchCommand.PING);
      }
      // Each size runs twice, an untimed warm-up run and then the measured one.
      long[][] runs = {
        {IpcBenchCommand.SMALL, small},
        {IpcBenchCommand.SMALL, small},
        {BenchLink.MAX_MESSAGE, large},
        {BenchLink.MAX_MESSAGE, large}
      };
      for (long[] run : runs) {
        int length = (int) run[0];
        for (long got = 0; got < run[1]; ) {
          got += link.receiveMany(length, run[1] - got);
        }
        link.send(8);
      }
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long before = threads.getCurrentThreadCpuTime();
      link.receiveOne(8);
      long used = threads.getCurrentThreadCpuTime() - before;
      ByteBuffer.wrap(link.buffer).putLong(0, used);
      link.send(8);
    }
  }

  private static BenchLink connect(String transport, String address) throws Exception {
    return switch (transport) {
      case "mmkit-busy-spin" ->
          BenchLink.channels(
              Path.of(address + "-pong"), Path.of(address + "-ping"), WaitStrategy.busySpin());
      case "mmkit-blocking" ->
          BenchLink.channels(
              Path.of(address + "-pong"), Path.of(address + "-ping"), WaitStrategy.blocking());
      case "uds" ->
          BenchLink.socket(SocketChannel.open(UnixDomainSocketAddress.of(Path.of(address))));
      case "tcp" -> {
        SocketChannel socket = SocketChannel.open(StandardProtocolFamily.INET);
        socket.connect(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), Integer.parseInt(address)));
        yield BenchLink.socket(socket);
      }
      default -> throw new IllegalArgumentException("unknown transport: " + transport);
    };
  }
}
