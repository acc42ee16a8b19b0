package dev.mmkit.bench.ipc;

import dev.mmkit.harness.ipc.BlockTimer;
import dev.mmkit.harness.ipc.PeerProcess;
import dev.mmkit.harness.ipc.TransportKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * InterleavedSession is one interleaved run: one pair of processes linked by every transport at
 * once, taking turns in blocks — a block of round trips on each transport in rotation, the first
 * transport of each turn rotating too, then likewise blocks of one-way messages on the channels —
 * so that every transport sees the same machine. The first blocks of each are warm-up.
 */
final class InterleavedSession {
  private final InterleavedSettings settings;

  InterleavedSession(InterleavedSettings settings) {
    this.settings = settings;
  }

  /**
   * Result is what one transport measured in a session.
   *
   * @param kind the transport
   * @param nanos every measured round trip, sorted
   * @param blockMedians the median round trip of each measured block in microseconds, in order
   * @param blockThroughput messages per second of each measured throughput block, in order (empty
   *     for a reference, which carries no streams)
   */
  record Result(TransportKind kind, long[] nanos, double[] blockMedians, double[] blockThroughput) {

    /** Returns the round trip at {@code fraction} (0.5 for the median) in microseconds. */
    double micros(double fraction) {
      return nanos[(int) Math.min(nanos.length - 1, nanos.length * fraction)] / 1000.0;
    }
  }

  /** Runs the session with a fresh peer and returns one result per transport, in order. */
  List<Result> run() throws IOException {
    List<TransportKind> kinds = settings.kinds();
    try (PeerProcess peer = PeerProcess.start(kinds, List.of())) {
      BlockTimer timer = new BlockTimer(peer, settings.size());
      long[][] nanos = new long[kinds.size()][settings.block() * settings.blocks()];
      double[][] medians = new double[kinds.size()][settings.blocks()];
      roundTrips(timer, nanos, medians);
      double[][] throughput = throughput(timer);
      List<Result> results = new ArrayList<>();
      for (int k = 0; k < kinds.size(); k++) {
        Arrays.sort(nanos[k]);
        results.add(new Result(kinds.get(k), nanos[k], medians[k], throughput[k]));
      }
      return results;
    }
  }

  private void roundTrips(BlockTimer timer, long[][] nanos, double[][] medians) throws IOException {
    List<TransportKind> kinds = settings.kinds();
    long[] block = new long[settings.block()];
    for (int b = 0; b < settings.warmupBlocks() + settings.blocks(); b++) {
      for (int turn = 0; turn < kinds.size(); turn++) {
        int k = (b + turn) % kinds.size();
        timer.roundTrips(kinds.get(k), settings.size(), block);
        int measured = b - settings.warmupBlocks();
        if (measured >= 0) {
          System.arraycopy(block, 0, nanos[k], measured * block.length, block.length);
          long[] sorted = block.clone();
          Arrays.sort(sorted);
          medians[k][measured] = sorted[sorted.length / 2] / 1000.0;
        }
      }
    }
  }

  private double[][] throughput(BlockTimer timer) throws IOException {
    List<TransportKind> kinds = settings.kinds();
    List<Integer> channels = new ArrayList<>();
    double[][] perSecond = new double[kinds.size()][];
    for (int k = 0; k < kinds.size(); k++) {
      boolean channel = kinds.get(k).role() == TransportKind.Role.CHANNEL;
      if (channel) {
        channels.add(k);
      }
      perSecond[k] = new double[channel ? settings.throughputBlocks() : 0];
    }
    if (settings.throughputBlocks() == 0) {
      return perSecond;
    }
    int warmup = settings.throughputWarmupBlocks();
    for (int b = 0; b < warmup + settings.throughputBlocks(); b++) {
      for (int turn = 0; turn < channels.size(); turn++) {
        int k = channels.get((b + turn) % channels.size());
        double rate = timer.oneWay(kinds.get(k), settings.size(), settings.messages());
        if (b >= warmup) {
          perSecond[k][b - warmup] = rate;
        }
      }
    }
    return perSecond;
  }
}
