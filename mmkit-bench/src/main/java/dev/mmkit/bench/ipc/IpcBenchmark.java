package dev.mmkit.bench.ipc;

import dev.mmkit.harness.ipc.IpcTransport;
import dev.mmkit.harness.ipc.PeerProcess;
import dev.mmkit.harness.ipc.TransportKind;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * IpcBenchmark measures messages between this process and a peer process (the harness's {@link
 * PeerProcess}): the round trip of one message echoed back (sampled, so JMH reports percentiles),
 * and one-way throughput to a peer that drains as fast as it can (back-pressure from a full link
 * throttles the sender). Round trips run on every {@link TransportKind}, throughput on channels.
 */
@State(Scope.Benchmark)
@Fork(
    value = 1,
    jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
public class IpcBenchmark {
  /** The {@link TransportKind#label()} under test; the runner passes one per JMH run. */
  @Param({"mmkit-busy-spin"})
  public String transport;

  /** Message size in bytes. */
  @Param({"32", "4096"})
  public int size;

  private PeerProcess peer;
  private IpcTransport link;
  private ByteBuffer message;
  private ByteBuffer reply;

  /** Starts the peer: echo for round trips, drain for throughput. */
  @Setup(Level.Trial)
  public void connect(BenchmarkParams params) throws IOException {
    TransportKind kind = TransportKind.named(transport);
    peer = PeerProcess.start(List.of(kind), List.of());
    link = peer.link(kind);
    if (params.getBenchmark().endsWith("roundTrip")) {
      peer.echoForever(kind, size);
    } else {
      peer.drainForever(kind, size);
    }
    message = ByteBuffer.allocateDirect(size);
    for (int i = 0; i < size; i++) {
      message.put(i, (byte) i);
    }
    reply = ByteBuffer.allocateDirect(size);
  }

  /** Stops the peer. */
  @TearDown(Level.Trial)
  public void disconnect() throws IOException {
    peer.close();
  }

  /** Sends one message and waits for the peer to echo it back. */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MICROSECONDS)
  public byte roundTrip() throws IOException {
    message.clear();
    link.send(message);
    reply.clear();
    link.receive(reply);
    return reply.get(size - 1);
  }

  /** Sends one message to a peer that drains them. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public void throughput() throws IOException {
    message.clear();
    link.send(message);
  }
}
