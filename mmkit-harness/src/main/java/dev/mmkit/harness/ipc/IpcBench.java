package dev.mmkit.harness.ipc;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * IpcBench measures one transport the way {@code mmkit ipc bench} does, with a fresh peer JVM per
 * transport: round trips of {@value #PING} bytes echoed back (after a warm-up of at most three
 * seconds), then for a {@link TransportKind.Role#CHANNEL} one-way throughput of {@value
 * #SMALL}-byte and {@value #LARGE}-byte messages (each after an untimed run of as many), then the
 * CPU the peer burns while it waits in a receive that nothing arrives for.
 */
public final class IpcBench {
  /** The size of a round trip's message. */
  public static final int PING = 32;

  /** The size of the small throughput messages. */
  public static final int SMALL = 32;

  /** The size of the large throughput messages. */
  public static final int LARGE = 4096;

  private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(3);
  private static final int WARMUP_BLOCK = 10_000;

  private final Settings settings;

  /**
   * Settings are the sizes of one {@code mmkit ipc bench} run.
   *
   * @param roundTrips measured round trips
   * @param warmup round trips before them, not measured (at most three seconds of them)
   * @param smallMessages one-way messages of {@value #SMALL} bytes
   * @param largeMessages one-way messages of {@value #LARGE} bytes
   * @param idle how long the peer waits in a receive that nothing arrives for
   * @param peerLauncher what the peer JVM is started under, e.g. {@code taskset -c 1}; may be empty
   */
  public record Settings(
      int roundTrips,
      int warmup,
      long smallMessages,
      long largeMessages,
      Duration idle,
      List<String> peerLauncher) {

    /** Checks the settings and copies the launcher. */
    public Settings {
      if (roundTrips < 1 || warmup < 0 || smallMessages < 1 || largeMessages < 1) {
        throw new IllegalArgumentException(
            "counts must be positive: roundTrips="
                + roundTrips
                + ", warmup="
                + warmup
                + ", smallMessages="
                + smallMessages
                + ", largeMessages="
                + largeMessages);
      }
      peerLauncher = List.copyOf(peerLauncher);
    }
  }

  /** Creates the bench of {@code settings}. */
  public IpcBench(Settings settings) {
    this.settings = settings;
  }

  /** Returns the settings. */
  public Settings settings() {
    return settings;
  }

  /** Measures {@code kind} with a peer JVM of its own and returns what it measured. */
  public IpcBenchResult measure(TransportKind kind) throws IOException, InterruptedException {
    try (PeerProcess peer = PeerProcess.start(List.of(kind), settings.peerLauncher())) {
      BlockTimer timer = new BlockTimer(peer, LARGE);
      long end = System.nanoTime() + WARMUP_NANOS;
      for (int done = 0; done < settings.warmup() && System.nanoTime() - end < 0; ) {
        long[] block = new long[Math.min(WARMUP_BLOCK, settings.warmup() - done)];
        timer.roundTrips(kind, PING, block);
        done += block.length;
      }
      long[] nanos = new long[settings.roundTrips()];
      timer.roundTrips(kind, PING, nanos);
      Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
      for (long value : nanos) {
        latency.recordValue(Math.min(value, latency.getHighestTrackableValue()));
      }
      double small = Double.NaN;
      double large = Double.NaN;
      if (kind.role() == TransportKind.Role.CHANNEL) {
        timer.oneWay(kind, SMALL, settings.smallMessages());
        small = timer.oneWay(kind, SMALL, settings.smallMessages());
        timer.oneWay(kind, LARGE, settings.largeMessages());
        large = timer.oneWay(kind, LARGE, settings.largeMessages());
      }
      PeerProcess.IdleCost idle = peer.idle(kind, settings.idle());
      return new IpcBenchResult(kind, RoundTripLatency.of(latency), small, large, idle);
    }
  }
}
