package dev.mmkit.cli.ipc;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** BenchTable prints the results of {@code mmkit ipc bench} as a table and a few ratios. */
final class BenchTable {
  static final double[] PERCENTILES = {50.0, 90.0, 99.0, 99.9};

  private BenchTable() {}

  static String percentileName(double percentile) {
    return percentile == 99.9 ? "p99.9" : "p" + (int) percentile;
  }

  static void print(PrintWriter out, List<IpcBenchCommand.Result> results, IpcBenchCommand bench) {
    out.printf(
        Locale.ROOT,
        "two processes, %d round trips of %d bytes (after up to %d in at most 3 s of warm-up), %d x 32 B,"
            + " %d x 4 KiB (each after an untimed run of as many), idle %d s%n%n",
        bench.roundTrips,
        IpcBenchCommand.PING,
        bench.warmup,
        bench.smallMessages,
        bench.largeMessages,
        bench.idleSeconds);
    out.printf(
        Locale.ROOT,
        "%-16s %9s %9s %9s %9s %9s %13s %9s %12s %10s %9s%n",
        "transport",
        "p50 us",
        "p90 us",
        "p99 us",
        "p99.9 us",
        "max us",
        "32B msg/s",
        "32B MB/s",
        "4KiB msg/s",
        "4KiB MB/s",
        "idle CPU");
    for (IpcBenchCommand.Result r : results) {
      out.printf(
          Locale.ROOT,
          "%-16s %9.2f %9.2f %9.2f %9.2f %9.2f %,13d %9.1f %,12d %10.1f %8.2f%%%n",
          r.transport(),
          micros(r, 50.0),
          micros(r, 90.0),
          micros(r, 99.0),
          micros(r, 99.9),
          r.latency().getMaxValue() / 1000.0,
          Math.round(r.smallPerSecond()),
          r.smallPerSecond() * 32 / 1e6,
          Math.round(r.largePerSecond()),
          r.largePerSecond() * 4096 / 1e6,
          r.idleProcessCpu());
    }
    IpcBenchCommand.Result spin = find(results, "mmkit-busy-spin");
    IpcBenchCommand.Result blocking = find(results, "mmkit-blocking");
    IpcBenchCommand.Result uds = find(results, "uds");
    if (uds != null) {
      out.println();
      if (spin != null) {
        out.printf(
            Locale.ROOT,
            "busy-spin p50 is %.1fx lower than the Unix domain socket's; 32-byte throughput"
                + " %.1fx%n",
            micros(uds, 50.0) / micros(spin, 50.0),
            spin.smallPerSecond() / uds.smallPerSecond());
      }
      if (blocking != null) {
        out.printf(
            Locale.ROOT,
            "blocking p50 is %.2fx the Unix domain socket's; idle blocked receiver: %.2f%% of a"
                + " core (process), %.3f%% (its thread)%n",
            micros(blocking, 50.0) / micros(uds, 50.0),
            blocking.idleProcessCpu(),
            blocking.idleThreadCpu());
      }
    }
  }

  private static double micros(IpcBenchCommand.Result result, double percentile) {
    return result.latency().getValueAtPercentile(percentile) / 1000.0;
  }

  private static IpcBenchCommand.Result find(List<IpcBenchCommand.Result> results, String name) {
    return results.stream().filter(r -> r.transport().equals(name)).findFirst().orElse(null);
  }
}
