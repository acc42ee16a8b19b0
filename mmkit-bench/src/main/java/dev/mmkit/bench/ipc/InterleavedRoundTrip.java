package dev.mmkit.bench.ipc;

import dev.mmkit.harness.ipc.TransportKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * InterleavedRoundTrip compares IPC transports where separate runs cannot: all of them in one pair
 * of processes, taking turns in blocks of a few milliseconds ({@link InterleavedSession}), so that
 * all see the same machine. On a small shared VM, separate JMH runs can move by several times from
 * run to run; ratios taken between interleaved blocks hold from block to block. Besides round trips
 * it times blocks of one-way messages on the channels, and with {@code --runs N} it repeats the
 * whole session with a fresh peer and prints the median of each ratio ({@link InterleavedReport}).
 *
 * <p>Run it with {@code scripts/ipc-interleaved.sh [options]}, which builds mmkit-bench and starts
 * this class on JDK 25 with Agrona's JVM flag; the options are {@link InterleavedSettings}'s.
 */
public final class InterleavedRoundTrip {
  private InterleavedRoundTrip() {}

  /** Runs the sessions; see {@link InterleavedSettings} for the options. */
  public static void main(String[] args) throws IOException {
    InterleavedSettings settings = InterleavedSettings.parse(args);
    System.out.printf(
        "interleaved: %s; %d run(s)%n", TransportKind.labels(settings.kinds()), settings.runs());
    List<List<InterleavedReport.Row>> runs = new ArrayList<>();
    for (int run = 0; run < settings.runs(); run++) {
      List<InterleavedSession.Result> results = new InterleavedSession(settings).run();
      System.out.print(InterleavedReport.session(settings, results));
      runs.add(InterleavedReport.rows(results));
    }
    if (runs.size() > 1) {
      System.out.print(InterleavedReport.medians(settings, runs));
    }
  }
}
