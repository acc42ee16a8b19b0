package dev.mmkit.harness.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * IoReport renders an {@link IoRun} as a Markdown table, one row per workload beside what the usual
 * advice on when mapping beats plain reads says of it, and as JSON.
 */
public final class IoReport {
  private static final String[] UNITS = {"B", "KiB", "MiB", "GiB", "TiB"};

  private IoReport() {}

  /** Returns the table as Markdown, preceded by the conditions of the run. */
  public static String table(IoRun run) {
    StringBuilder out = new StringBuilder();
    Map<String, Object> env = run.environment();
    out.append("when mmap wins — and when it doesn't (measured)\n\n");
    out.append(
        String.format(
            Locale.ROOT,
            "%s file in the page cache, %s small files of 4 KiB, median of %s runs, JDK %s%n",
            bytes(run.size()),
            env.get("smallFiles"),
            env.get("repeats"),
            env.get("jdk")));
    out.append(run.pinning().describe()).append('\n');
    out.append(
        String.format(
            Locale.ROOT,
            "in-memory limit: %.2f GB/s (summing %s of anonymous memory); (x%%) = share of it%n"
                + "each method runs alone: %s untimed passes, then the timed ones; mapped reuses"
                + " one mapping of the whole file%n%n",
            run.limitBytesPerSecond() / 1e9,
            bytes(run.size()),
            env.get("warmUpRuns")));
    List<List<String>> rows = new ArrayList<>();
    List<String> header = new ArrayList<>(List.of("workload (unit)"));
    for (IoMethod method : IoMethod.values()) {
      header.add(method.column());
    }
    header.addAll(List.of("usual advice", "verdict"));
    rows.add(header);
    for (IoWorkload workload : run.results().keySet()) {
      rows.add(row(run, workload));
    }
    out.append(markdown(rows));
    out.append(
        "\nadaptive = mmkit AdaptiveReader; its strategy per row: " + run.strategies() + "\n");
    out.append(
        """
        usual advice = the usual advice on when mapping beats plain reads. It also calls mapping
        a good fit for read-mostly datasets shared between processes, zero-copy IPC and
        memory-mapped databases (the mmkit-bench module measures those, docs/BENCHMARKS.md); it
        warns that a file truncated under its mapping kills the process with SIGBUS (mmkit raises
        TruncatedException instead: mmkit tour) and that mapping is less portable (mmkit is pure
        Java, java.lang.foreign only).
        """);
    return out.toString();
  }

  private static List<String> row(IoRun run, IoWorkload workload) {
    List<String> cells = new ArrayList<>();
    cells.add(workload.title() + " (" + workload.unit() + ")");
    IoResult best = run.best(workload);
    for (IoResult result : run.results().get(workload)) {
      String cell =
          String.format(
              Locale.ROOT,
              "%s (%s)",
              figure(result.figure(), workload),
              percent(result.bytesPerSecond() / run.limitBytesPerSecond()));
      if (result == best) {
        cell = "**" + cell + "**";
      }
      if (result.method() == IoMethod.ADAPTIVE) {
        cell += String.format(Locale.ROOT, " %.2fx best", run.adaptiveVersusBest(workload));
      }
      cells.add(cell);
    }
    cells.add(
        (workload.adviceFavoursMapping()
                ? "mmap: good fit for "
                : "plain reads: mmap a poor fit for ")
            + workload.adviceTopic());
    cells.add(run.verdict(workload));
    return cells;
  }

  private static String figure(double value, IoWorkload workload) {
    if (workload == IoWorkload.SCAN) {
      return String.format(Locale.ROOT, "%.2f", value);
    }
    if (value >= 1e6) {
      return String.format(Locale.ROOT, "%.2fM", value / 1e6);
    }
    return String.format(Locale.ROOT, "%.1fk", value / 1e3);
  }

  private static String percent(double fraction) {
    double p = fraction * 100;
    return String.format(Locale.ROOT, p >= 10 ? "%.0f%%" : p >= 0.1 ? "%.1f%%" : "%.3f%%", p);
  }

  private static String markdown(List<List<String>> rows) {
    int columns = rows.get(0).size();
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < columns; i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    StringBuilder out = new StringBuilder();
    for (int r = 0; r < rows.size(); r++) {
      out.append('|');
      for (int i = 0; i < columns; i++) {
        out.append(' ').append(pad(rows.get(r).get(i), widths[i])).append(" |");
      }
      out.append('\n');
      if (r == 0) {
        out.append('|');
        for (int i = 0; i < columns; i++) {
          out.append("-".repeat(widths[i] + 2)).append('|');
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(width - text.length());
  }

  /** Returns the run as an indented JSON object. */
  public static String json(IoRun run) {
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    try {
      return mapper.writeValueAsString(tree(run, mapper));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write the run as JSON", e);
    }
  }

  private static ObjectNode tree(IoRun run, ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.put("bench", "io");
    ObjectNode environment = root.putObject("environment");
    run.environment().forEach((key, value) -> environment.putPOJO(key, value));
    environment.put("pinned", run.pinning().pinned());
    environment.put("cpusAllowed", run.pinning().allowed());
    environment.put("cpusOnline", run.pinning().online());
    ObjectNode limit = root.putObject("limit");
    limit.put("description", "summing anonymous memory of the file's size");
    limit.put("bytes", run.size());
    limit.put("bytesPerSecond", run.limitBytesPerSecond());
    limit.set("nanos", longs(mapper, run.limitNanos()));
    ArrayNode rows = root.putArray("rows");
    for (IoWorkload workload : run.results().keySet()) {
      ObjectNode row = rows.addObject();
      row.put("workload", workload.key());
      row.put("title", workload.title());
      row.put("unit", workload.unit());
      row.put("adviceTopic", workload.adviceTopic());
      row.put("adviceFavours", workload.adviceFavoursMapping() ? "mmap" : "plain reads");
      row.put("best", run.best(workload).method().key());
      row.put("bestPlainRead", run.bestPlainRead(workload).method().key());
      row.put("mappedVersusBestPlainRead", run.mappedVersusPlain(workload));
      row.put("verdict", run.verdict(workload));
      row.put("adaptiveStrategy", run.strategies().get(workload));
      row.put("adaptiveVersusBest", run.adaptiveVersusBest(workload));
      row.put("adaptiveWithin10Percent", run.adaptiveVersusBest(workload) >= 0.9);
      ArrayNode methods = row.putArray("methods");
      for (IoResult result : run.results().get(workload)) {
        ObjectNode method = methods.addObject();
        method.put("method", result.method().key());
        method.put("description", result.method().description());
        method.put("operations", result.operations());
        method.put("bytesPerOperation", result.bytesPerOperation());
        method.put("medianNanos", result.medianNanos());
        method.put("figure", result.figure());
        method.put("operationsPerSecond", result.operationsPerSecond());
        method.put("bytesPerSecond", result.bytesPerSecond());
        method.put("fractionOfLimit", result.bytesPerSecond() / run.limitBytesPerSecond());
        method.set("nanos", longs(mapper, result.nanos()));
      }
    }
    return root;
  }

  private static ArrayNode longs(ObjectMapper mapper, long[] values) {
    ArrayNode array = mapper.createArrayNode();
    for (long value : values) {
      array.add(value);
    }
    return array;
  }

  /** Formats a byte count with a binary unit, for example {@code 1.5 GiB}. */
  static String bytes(long bytes) {
    double value = bytes;
    int unit = 0;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return unit == 0 ? bytes + " B" : String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }
}
