package dev.mmkit.harness.ipc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;

/**
 * IpcBenchReport renders the results of {@code mmkit ipc bench}: a table with a few ratios, or one
 * JSON object per transport. Each transport's round-trip p50 is also given as a multiple of the
 * floor's ({@link TransportKind#FLOOR}) measured in the same run, when the floor was measured.
 */
public final class IpcBenchReport {
  private static final ObjectMapper JSON = new ObjectMapper();

  private IpcBenchReport() {}

  /** Returns the table of {@code results}, preceded by the settings and followed by ratios. */
  public static String table(List<IpcBenchResult> results, IpcBench.Settings settings) {
    StringBuilder out = new StringBuilder();
    out.append(
        format(
            "two processes, %d round trips of %d bytes (after up to %d in at most 3 s of warm-up),"
                + " %d x 32 B, %d x 4 KiB (each after an untimed run of as many), idle %d s%n%n",
            settings.roundTrips(),
            IpcBench.PING,
            settings.warmup(),
            settings.smallMessages(),
            settings.largeMessages(),
            settings.idle().toSeconds()));
    double floor = floorP50(results);
    if (!Double.isNaN(floor)) {
      out.append(
          format(
              "%s: %s%nx floor: p50 over the floor's p50 in this run%n%n",
              TransportKind.FLOOR.label(), TransportKind.FLOOR.description()));
    }
    out.append(
        format(
            "%-16s %9s %8s %9s %9s %9s %9s %13s %9s %12s %10s %9s%n",
            "transport",
            "p50 us",
            "x floor",
            "p90 us",
            "p99 us",
            "p99.9 us",
            "max us",
            "32B msg/s",
            "32B MB/s",
            "4KiB msg/s",
            "4KiB MB/s",
            "idle CPU"));
    for (IpcBenchResult r : results) {
      RoundTripLatency latency = r.latency();
      out.append(
          format(
              "%-16s %9.2f %8s %9.2f %9.2f %9.2f %9.2f %13s %9s %12s %10s %8.2f%%%n",
              r.kind().label(),
              latency.p50(),
              Double.isNaN(floor) ? "-" : format("%.2fx", latency.p50() / floor),
              latency.p90(),
              latency.p99(),
              latency.p999(),
              latency.max(),
              r.hasThroughput() ? format("%,d", Math.round(r.smallPerSecond())) : "-",
              r.hasThroughput() ? format("%.1f", r.smallPerSecond() * IpcBench.SMALL / 1e6) : "-",
              r.hasThroughput() ? format("%,d", Math.round(r.largePerSecond())) : "-",
              r.hasThroughput() ? format("%.1f", r.largePerSecond() * IpcBench.LARGE / 1e6) : "-",
              r.idleProcessCpuPercent()));
    }
    out.append(ratios(results));
    return out.toString();
  }

  private static String ratios(List<IpcBenchResult> results) {
    IpcBenchResult spin = find(results, TransportKind.MMKIT_BUSY_SPIN);
    IpcBenchResult blocking = find(results, TransportKind.MMKIT_BLOCKING);
    IpcBenchResult uds = find(results, TransportKind.UDS);
    double floor = floorP50(results);
    StringBuilder out = new StringBuilder();
    if (spin != null && !Double.isNaN(floor)) {
      out.append(
          format(
              "busy-spin p50 is %.2fx the floor's (%.2f us against %.2f us, in this run)%n",
              spin.latency().p50() / floor, spin.latency().p50(), floor));
    }
    if (uds != null && spin != null) {
      out.append(
          format(
              "busy-spin p50 is %.1fx lower than the Unix domain socket's; 32-byte throughput"
                  + " %.1fx%n",
              uds.latency().p50() / spin.latency().p50(),
              spin.smallPerSecond() / uds.smallPerSecond()));
    }
    if (uds != null && blocking != null) {
      out.append(
          format(
              "blocking p50 is %.2fx the Unix domain socket's; idle blocked receiver: %.2f%% of a"
                  + " core (process), %.3f%% (its thread)%n",
              blocking.latency().p50() / uds.latency().p50(),
              blocking.idleProcessCpuPercent(),
              blocking.idleThreadCpuPercent()));
    }
    return out.isEmpty() ? "" : System.lineSeparator() + out;
  }

  /**
   * Returns {@code result} as one line of JSON, with its p50 as a multiple of the floor's among
   * {@code results} (the run it belongs to) when the floor was measured.
   */
  public static String jsonLine(
      IpcBenchResult result, List<IpcBenchResult> results, IpcBench.Settings settings) {
    ObjectNode node = JSON.createObjectNode();
    node.put("transport", result.kind().label());
    node.put("roundTrips", result.latency().count());
    double floor = floorP50(results);
    if (!Double.isNaN(floor)) {
      node.put("p50VersusFloor", round(result.latency().p50() / floor));
    }
    ObjectNode latency = node.putObject("roundTripMicros");
    latency.put("p50", result.latency().p50());
    latency.put("p90", result.latency().p90());
    latency.put("p99", result.latency().p99());
    latency.put("p99.9", result.latency().p999());
    latency.put("max", result.latency().max());
    if (result.hasThroughput()) {
      putThroughput(node.putObject("throughput32B"), result.smallPerSecond(), IpcBench.SMALL);
      putThroughput(node.putObject("throughput4KiB"), result.largePerSecond(), IpcBench.LARGE);
    }
    node.put("idleReceiverCpuPercent", round(result.idleProcessCpuPercent()));
    node.put("idleReceiverThreadCpuPercent", round(result.idleThreadCpuPercent()));
    node.put("idleSeconds", settings.idle().toSeconds());
    try {
      return JSON.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a result as JSON", e);
    }
  }

  private static void putThroughput(ObjectNode node, double perSecond, int length) {
    node.put("messagesPerSecond", Math.round(perSecond));
    node.put("megabytesPerSecond", round(perSecond * length / 1e6));
  }

  /** Returns the floor's round-trip p50 among {@code results}, NaN when it was not measured. */
  private static double floorP50(List<IpcBenchResult> results) {
    IpcBenchResult floor = find(results, TransportKind.FLOOR);
    return floor == null ? Double.NaN : floor.latency().p50();
  }

  private static IpcBenchResult find(List<IpcBenchResult> results, TransportKind kind) {
    return results.stream().filter(r -> r.kind() == kind).findFirst().orElse(null);
  }

  private static double round(double value) {
    return Math.round(value * 1000) / 1000.0;
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
