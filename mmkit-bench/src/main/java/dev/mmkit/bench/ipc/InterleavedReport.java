package dev.mmkit.bench.ipc;

import dev.mmkit.harness.ipc.TransportKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * InterleavedReport prints interleaved sessions: per transport its round-trip percentiles, its p50
 * as a multiple of the floor's (the bare counter, {@link TransportKind#FLOOR}) and its median
 * throughput as a multiple of Agrona's, all measured in the same session; and over several sessions
 * the median of each. It ends with the two targets for mmkit's busy-spinning channel: round-trip
 * p50 at most {@value #FLOOR_TARGET}x the floor's, and throughput at least Agrona's.
 */
final class InterleavedReport {
  static final double FLOOR_TARGET = 1.3;
  private static final TransportKind MMKIT = TransportKind.MMKIT_BUSY_SPIN;

  private InterleavedReport() {}

  /**
   * Row is what one transport measured in one session, with ratios to the same session's floor and
   * Agrona (NaN where either was not measured, or the transport carries no streams).
   *
   * @param kind the transport
   * @param p50 its median round trip in microseconds
   * @param p50VersusFloor that median over the floor's
   * @param perSecond the median of its throughput blocks, in messages per second
   * @param versusAgrona that median over Agrona's
   */
  record Row(
      TransportKind kind,
      double p50,
      double p50VersusFloor,
      double perSecond,
      double versusAgrona) {}

  /** Returns the rows of one session, in its transports' order. */
  static List<Row> rows(List<InterleavedSession.Result> results) {
    double floor = find(results, TransportKind.FLOOR).map(r -> r.micros(0.5)).orElse(Double.NaN);
    double agrona =
        find(results, TransportKind.AGRONA)
            .map(r -> median(r.blockThroughput()))
            .orElse(Double.NaN);
    List<Row> rows = new ArrayList<>();
    for (InterleavedSession.Result r : results) {
      double p50 = r.micros(0.5);
      double perSecond = median(r.blockThroughput());
      rows.add(new Row(r.kind(), p50, p50 / floor, perSecond, perSecond / agrona));
    }
    return rows;
  }

  /** Returns the report of one session. */
  static String session(InterleavedSettings settings, List<InterleavedSession.Result> results) {
    StringBuilder out = new StringBuilder(header(settings));
    out.append(
        format(
            "%-16s %12s %8s %8s %8s %11s %8s %8s %14s %9s%n",
            "transport",
            "round trips",
            "p50 us",
            "p90 us",
            "p99 us",
            "block p50s",
            "min",
            "x floor",
            "msg/s",
            "x agrona"));
    List<Row> rows = rows(results);
    for (int i = 0; i < results.size(); i++) {
      InterleavedSession.Result r = results.get(i);
      double[] medians = r.blockMedians().clone();
      Arrays.sort(medians);
      out.append(
          format(
              "%-16s %12d %8.3f %8.3f %8.3f %11.3f %8.3f %8s %14s %9s%n",
              r.kind().label(),
              r.nanos().length,
              r.micros(0.5),
              r.micros(0.9),
              r.micros(0.99),
              median(medians),
              medians[0],
              ratio(rows.get(i).p50VersusFloor()),
              rate(rows.get(i).perSecond()),
              ratio(rows.get(i).versusAgrona())));
    }
    out.append(blocksWon(results));
    out.append(targets(rows, "this run"));
    return out.toString();
  }

  /** Returns the medians over several sessions' rows, one list of rows per session. */
  static String medians(InterleavedSettings settings, List<List<Row>> runs) {
    StringBuilder out =
        new StringBuilder(format("%nmedian of %d runs, size=%d B%n", runs.size(), settings.size()));
    out.append(
        format(
            "%-16s %8s %8s %14s %9s   %s%n",
            "transport", "p50 us", "x floor", "msg/s", "x agrona", "x floor in each run"));
    List<Row> medians = new ArrayList<>();
    for (int k = 0; k < runs.get(0).size(); k++) {
      int column = k;
      double[] floor = runs.stream().mapToDouble(r -> r.get(column).p50VersusFloor()).toArray();
      Row row =
          new Row(
              runs.get(0).get(k).kind(),
              median(runs.stream().mapToDouble(r -> r.get(column).p50()).toArray()),
              median(floor),
              median(runs.stream().mapToDouble(r -> r.get(column).perSecond()).toArray()),
              median(runs.stream().mapToDouble(r -> r.get(column).versusAgrona()).toArray()));
      medians.add(row);
      List<String> each = Arrays.stream(floor).mapToObj(InterleavedReport::ratio).toList();
      out.append(
          format(
              "%-16s %8.3f %8s %14s %9s   %s%n",
              row.kind().label(),
              row.p50(),
              ratio(row.p50VersusFloor()),
              rate(row.perSecond()),
              ratio(row.versusAgrona()),
              String.join(" ", each)));
    }
    out.append(targets(medians, "median of " + runs.size() + " runs"));
    return out.toString();
  }

  private static String header(InterleavedSettings s) {
    String throughput =
        s.throughputBlocks() == 0
            ? "no throughput blocks"
            : format(
                "%d blocks of %d one-way messages per channel after %d of warm-up",
                s.throughputBlocks(), s.messages(), s.throughputWarmupBlocks());
    return format(
        "%nsize=%d B: %d blocks of %d round trips per transport after %d of warm-up; %s; one pair"
            + " of processes, the transports taking turns%n",
        s.size(), s.blocks(), s.block(), s.warmupBlocks(), throughput);
  }

  private static String blocksWon(List<InterleavedSession.Result> results) {
    var mmkit = find(results, MMKIT);
    var agrona = find(results, TransportKind.AGRONA);
    if (mmkit.isEmpty() || agrona.isEmpty()) {
      return "";
    }
    double[] mine = mmkit.get().blockMedians();
    double[] theirs = agrona.get().blockMedians();
    int wins = 0;
    for (int b = 0; b < mine.length; b++) {
      if (mine[b] <= theirs[b]) {
        wins++;
      }
    }
    return format(
        "%s's block median no higher than agrona's in %d of %d blocks%n",
        MMKIT.label(), wins, mine.length);
  }

  private static String targets(List<Row> rows, String over) {
    Row mmkit = rows.stream().filter(r -> r.kind() == MMKIT).findFirst().orElse(null);
    if (mmkit == null) {
      return "";
    }
    StringBuilder out = new StringBuilder();
    if (!Double.isNaN(mmkit.p50VersusFloor())) {
      out.append(
          format(
              "target: %s round-trip p50 at most %.2fx the floor's: %.2fx (%s)%n",
              MMKIT.label(), FLOOR_TARGET, mmkit.p50VersusFloor(), over));
    }
    if (!Double.isNaN(mmkit.versusAgrona())) {
      out.append(
          format(
              "target: %s throughput at least agrona's: %.2fx (%s)%n",
              MMKIT.label(), mmkit.versusAgrona(), over));
    }
    return out.toString();
  }

  private static java.util.Optional<InterleavedSession.Result> find(
      List<InterleavedSession.Result> results, TransportKind kind) {
    return results.stream().filter(r -> r.kind() == kind).findFirst();
  }

  /** Returns the median of {@code values}, NaN when there are none. */
  static double median(double[] values) {
    if (values.length == 0) {
      return Double.NaN;
    }
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  private static String ratio(double value) {
    return Double.isNaN(value) ? "-" : format("%.2fx", value);
  }

  private static String rate(double perSecond) {
    return Double.isNaN(perSecond) ? "-" : format("%,d", Math.round(perSecond));
  }

  private static String format(String pattern, Object... args) {
    return String.format(Locale.ROOT, pattern, args);
  }
}
