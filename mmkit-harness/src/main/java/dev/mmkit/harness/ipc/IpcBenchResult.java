package dev.mmkit.harness.ipc;

/**
 * IpcBenchResult is what {@link IpcBench} measured of one transport.
 *
 * @param kind the transport
 * @param latency its round trips
 * @param smallPerSecond one-way {@value IpcBench#SMALL}-byte messages per second; NaN for a {@link
 *     TransportKind.Role#REFERENCE}, which carries no streams
 * @param largePerSecond one-way {@value IpcBench#LARGE}-byte messages per second; NaN likewise
 * @param idle what the peer's wait in a receive cost while nothing came
 */
public record IpcBenchResult(
    TransportKind kind,
    RoundTripLatency latency,
    double smallPerSecond,
    double largePerSecond,
    PeerProcess.IdleCost idle) {

  /** Returns whether throughput was measured (the transport is a channel). */
  public boolean hasThroughput() {
    return !Double.isNaN(smallPerSecond);
  }

  /** Returns the peer JVM's CPU while it waited, in percent of one core. */
  public double idleProcessCpuPercent() {
    return 100.0 * idle.processCpuNanos() / idle.nanos();
  }

  /** Returns the waiting thread's CPU while it waited, in percent of one core. */
  public double idleThreadCpuPercent() {
    return 100.0 * idle.threadCpuNanos() / idle.nanos();
  }
}
