package dev.mmkit.bench.report;

import dev.mmkit.harness.chart.ChartStyle;
import java.io.File;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.data.category.DefaultCategoryDataset;

/** Charts draws the run's results as PNG bar charts in the harness's {@link ChartStyle}. */
public final class Charts {
  private Charts() {}

  /** Draws each group that was measured into {@code directory}; returns the files written. */
  public static List<File> write(List<Measurement> measurements, File directory)
      throws IOException {
    List<File> written = new ArrayList<>();
    if (measurements.stream().anyMatch(m -> m.group().equals("core"))) {
      written.add(save(core(measurements), new File(directory, "core.png")));
    }
    if (measurements.stream().anyMatch(m -> m.group().equals("kv"))) {
      written.add(save(kv(measurements), new File(directory, "kv.png")));
    }
    if (measurements.stream().anyMatch(m -> m.group().equals("ipc"))) {
      written.add(save(ipc(measurements), new File(directory, "ipc.png")));
    }
    return written;
  }

  private static File save(JFreeChart chart, File file) throws IOException {
    return ChartStyle.save(chart, file.toPath()).toFile();
  }

  private static JFreeChart core(List<Measurement> measurements) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Measurement m : measurements) {
      if (m.group().equals("core")) {
        data.addValue(m.score(), m.benchmark(), m.param("spread"));
      }
    }
    return ChartStyle.bars(
        "core: mmkit Mapping vs raw MemorySegment (lower is better)",
        "offset spread",
        "ns per read (getLong) or per 4 KiB copy",
        data);
  }

  private static JFreeChart kv(List<Measurement> measurements) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (String[] row :
        new String[][] {
          {"get", "warm", "random get, warm"},
          {"get", "cold", "random get, cold"},
          {"scan", "warm", "scan, warm"},
          {"scan", "cold", "scan, cold"},
          {"load", "", "bulk load"},
          {"oneWriter", "", "durable puts, 1 thread"},
          {"eightWriters", "", "durable puts, 8 threads"}
        }) {
      List<Measurement> cells =
          measurements.stream()
              .filter(m -> m.group().equals("kv") && m.benchmark().equals(row[0]))
              .filter(m -> row[1].isEmpty() || m.param("cache").equals(row[1]))
              .toList();
      boolean lowerIsBetter = cells.stream().anyMatch(m -> m.unit().startsWith("ms"));
      double best =
          cells.stream()
              .mapToDouble(m -> lowerIsBetter ? 1 / m.score() : m.score())
              .max()
              .orElse(1);
      for (Measurement m : cells) {
        double speed = lowerIsBetter ? 1 / m.score() : m.score();
        data.addValue(speed / best, m.param("store"), row[2]);
      }
    }
    JFreeChart chart =
        ChartStyle.bars(
            "key-value stores: speed relative to the fastest store of each operation",
            null,
            "relative speed (1.0 = fastest)",
            data);
    chart.getCategoryPlot().getRangeAxis().setUpperBound(1.05);
    return chart;
  }

  private static JFreeChart ipc(List<Measurement> measurements) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Measurement m : measurements) {
      if (m.group().equals("ipc") && m.benchmark().equals("roundTrip")) {
        String size = m.param("size") + " B";
        data.addValue(m.percentiles().get(50.0), m.param("transport"), "p50, " + size);
        data.addValue(m.percentiles().get(99.0), m.param("transport"), "p99, " + size);
      }
    }
    JFreeChart chart =
        ChartStyle.bars(
            "IPC round trip between two processes (lower is better)",
            null,
            "microseconds (log scale)",
            data);
    LogAxis axis = new LogAxis("microseconds (log scale)");
    axis.setSmallestValue(0.1);
    axis.setNumberFormatOverride(new java.text.DecimalFormat("0.##"));
    chart.getCategoryPlot().setRangeAxis(axis);
    return chart;
  }
}
