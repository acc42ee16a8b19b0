package dev.mmkit.cli.ipc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.PeerJvm;
import dev.mmkit.cli.Progress;
import dev.mmkit.core.SharedMemory;
import dev.mmkit.ipc.WaitStrategy;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * IpcBenchCommand measures, in one run, two processes talking over mmkit channels (busy-spin and
 * blocking), a Unix domain socket and TCP loopback: ping-pong round-trip percentiles, throughput of
 * 32-byte and 4 KiB messages, and the CPU an idle receiver burns while it waits.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Compare mmkit channels with a Unix domain socket and TCP loopback between two processes:",
      "round-trip latency percentiles, throughput, and the CPU of an idle waiting receiver."
    })
final class IpcBenchCommand implements Callable<Integer> {
  static final int PING = 32;
  static final int SMALL = 32;
  static final List<String> TRANSPORTS = List.of("mmkit-busy-spin", "mmkit-blocking", "uds", "tcp");

  @Option(names = "--json", description = "Print one JSON object per transport, one per line.")
  boolean json;

  @Option(names = "--round-trips", defaultValue = "50000", description = "Measured round trips.")
  int roundTrips;

  @Option(
      names = "--warmup",
      defaultValue = "200000",
      description = "Round trips not measured (at most 3 s of them).")
  int warmup;

  private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(3);

  @Option(names = "--small-messages", defaultValue = "500000", description = "32-byte messages.")
  long smallMessages;

  @Option(names = "--large-messages", defaultValue = "50000", description = "4 KiB messages.")
  long largeMessages;

  @Option(names = "--idle-seconds", defaultValue = "5", description = "Idle receiver period.")
  int idleSeconds;

  @Option(
      names = "--peer-cpus",
      description =
          "Run the second process pinned to these CPUs with taskset (e.g. 1); pin this one by"
              + " starting it under taskset too.")
  String peerCpus;

  @Option(
      names = "--transport",
      split = ",",
      description = "Transports to run (default: all): ${COMPLETION-CANDIDATES}",
      completionCandidates = Transports.class)
  List<String> transports = new ArrayList<>(TRANSPORTS);

  @Spec CommandSpec spec;

  /** Transports lists the transport names for help. */
  static final class Transports extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Transports() {
      super(TRANSPORTS);
    }
  }

  /** Result is what one transport measured. */
  record Result(
      String transport,
      Histogram latency,
      double smallPerSecond,
      double largePerSecond,
      double idleProcessCpu,
      double idleThreadCpu) {}

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<Result> results = new ArrayList<>();
    for (String transport : transports) {
      if (!TRANSPORTS.contains(transport)) {
        throw new IllegalArgumentException("unknown transport: " + transport);
      }
      if (Progress.onTerminal() && !json) {
        System.err.printf("mmkit: measuring %s...%n", transport);
      }
      results.add(run(transport));
    }
    ObjectMapper mapper = new ObjectMapper();
    if (json) {
      for (Result result : results) {
        out.println(mapper.writeValueAsString(toJson(mapper, result)));
      }
    } else {
      BenchTable.print(out, results, this);
    }
    out.flush();
    return ExitCode.OK;
  }

  private Result run(String transport) throws Exception {
    String base = "mmkit-bench-" + ProcessHandle.current().pid() + "-" + transport;
    Path shm = SharedMemory.pathOf(base);
    Path socketPath = Files.createTempDirectory("mmkit-bench").resolve("socket");
    ServerSocketChannel server = null;
    String address;
    switch (transport) {
      case "uds" -> {
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socketPath));
        address = socketPath.toString();
      }
      case "tcp" -> {
        server = ServerSocketChannel.open(StandardProtocolFamily.INET);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        address = Integer.toString(((InetSocketAddress) server.getLocalAddress()).getPort());
      }
      default -> address = shm.toString();
    }
    Process peer = startPeer(transport, address);
    try (BenchLink link = connect(transport, shm, server)) {
      Histogram latency = pingPong(link);
      throughput(link, SMALL, smallMessages); // warm-up: both sides' paths get compiled
      double small = throughput(link, SMALL, smallMessages);
      throughput(link, BenchLink.MAX_MESSAGE, largeMessages);
      double large = throughput(link, BenchLink.MAX_MESSAGE, largeMessages);
      long cpuBefore = processCpu(peer);
      long start = System.nanoTime();
      Thread.sleep(idleSeconds * 1000L);
      long idleNanos = System.nanoTime() - start;
      long cpuAfter = processCpu(peer);
      link.send(8);
      link.receiveOne(8);
      long threadCpu = ByteBuffer.wrap(link.buffer).getLong(0);
      if (!peer.waitFor(30, TimeUnit.SECONDS) || peer.exitValue() != 0) {
        throw new IllegalStateException("bench peer failed: transport=" + transport);
      }
      return new Result(
          transport,
          latency,
          small,
          large,
          100.0 * (cpuAfter - cpuBefore) / idleNanos,
          100.0 * threadCpu / idleNanos);
    } finally {
      peer.destroyForcibly();
      if (server != null) {
        server.close();
      }
      Files.deleteIfExists(socketPath);
      Files.deleteIfExists(socketPath.getParent());
      Files.deleteIfExists(Path.of(shm + "-ping"));
      Files.deleteIfExists(Path.of(shm + "-pong"));
    }
  }

  private static BenchLink connect(String transport, Path shm, ServerSocketChannel server)
      throws IOException {
    return switch (transport) {
      case "mmkit-busy-spin" ->
          BenchLink.channels(
              Path.of(shm + "-ping"), Path.of(shm + "-pong"), WaitStrategy.busySpin());
      case "mmkit-blocking" ->
          BenchLink.channels(
              Path.of(shm + "-ping"), Path.of(shm + "-pong"), WaitStrategy.blocking());
      default -> BenchLink.socket(server.accept());
    };
  }

  private Process startPeer(String transport, String address) throws IOException {
    return PeerJvm.start(
        peerCpus != null ? List.of("taskset", "-c", peerCpus) : List.of(),
        // The JVM samples performance counters every 50 ms; without that, the idle figure shows
        // the waiting receiver rather than the JVM's own housekeeping.
        List.of("-XX:-UsePerfData"),
        IpcBenchPeer.class,
        List.of(transport, address, Long.toString(smallMessages), Long.toString(largeMessages)));
  }

  private Histogram pingPong(BenchLink link) throws IOException {
    Histogram histogram = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    long warmupEnd = System.nanoTime() + WARMUP_NANOS;
    for (int i = 0; i < warmup && System.nanoTime() - warmupEnd < 0; i++) {
      link.send(PING);
      link.receiveOne(PING);
    }
    for (int i = 0; i < roundTrips; i++) {
      link.buffer[0] = (byte) (i == roundTrips - 1 ? 1 : 0);
      long start = System.nanoTime();
      link.send(PING);
      link.receiveOne(PING);
      long nanos = System.nanoTime() - start;
      histogram.recordValue(Math.min(nanos, histogram.getHighestTrackableValue()));
    }
    return histogram;
  }

  private static double throughput(BenchLink link, int length, long count) throws IOException {
    long start = System.nanoTime();
    for (long i = 0; i < count; i++) {
      link.send(length);
    }
    link.receiveOne(8);
    long nanos = System.nanoTime() - start;
    return count * 1e9 / nanos;
  }

  private static long processCpu(Process peer) {
    return peer.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private ObjectNode toJson(ObjectMapper mapper, Result result) {
    ObjectNode node = mapper.createObjectNode();
    node.put("transport", result.transport());
    node.put("roundTrips", result.latency().getTotalCount());
    ObjectNode latency = node.putObject("roundTripMicros");
    for (double percentile : BenchTable.PERCENTILES) {
      latency.put(
          BenchTable.percentileName(percentile),
          result.latency().getValueAtPercentile(percentile) / 1000.0);
    }
    latency.put("max", result.latency().getMaxValue() / 1000.0);
    putThroughput(node.putObject("throughput32B"), result.smallPerSecond(), SMALL);
    putThroughput(node.putObject("throughput4KiB"), result.largePerSecond(), BenchLink.MAX_MESSAGE);
    node.put("idleReceiverCpuPercent", round(result.idleProcessCpu()));
    node.put("idleReceiverThreadCpuPercent", round(result.idleThreadCpu()));
    node.put("idleSeconds", idleSeconds);
    return node;
  }

  private static void putThroughput(ObjectNode node, double perSecond, int length) {
    node.put("messagesPerSecond", Math.round(perSecond));
    node.put("megabytesPerSecond", round(perSecond * length / 1e6));
  }

  static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
