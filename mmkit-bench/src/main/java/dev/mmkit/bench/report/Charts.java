package dev.mmkit.bench.report;

import java.awt.Color;
import java.io.File;
import java.io.IOException;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;

/** Charts draws the run's results as PNG bar charts with JFreeChart. */
public final class Charts {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 560;
  private static final Color[] PALETTE = {
    new Color(0xd6, 0x27, 0x28),
    new Color(0x1f, 0x77, 0xb4),
    new Color(0x2c, 0xa0, 0x2c),
    new Color(0xff, 0x7f, 0x0e),
    new Color(0x94, 0x67, 0xbd),
    new Color(0x8c, 0x56, 0x4b)
  };

  private Charts() {}

  /** Draws each group that was measured into {@code directory}; returns the files written. */
  public static List<File> write(List<Measurement> measurements, File directory)
      throws IOException {
    System.setProperty("java.awt.headless", "true");
    List<File> written = new java.util.ArrayList<>();
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
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    for (int i = 0; i < PALETTE.length; i++) {
      renderer.setSeriesPaint(i, PALETTE[i]);
    }
    plot.getDomainAxis().setMaximumCategoryLabelLines(2);
    ChartUtils.saveChartAsPNG(file, chart, WIDTH, HEIGHT);
    return file;
  }

  private static JFreeChart core(List<Measurement> measurements) {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (Measurement m : measurements) {
      if (m.group().equals("core")) {
        data.addValue(m.score(), m.benchmark(), m.param("spread"));
      }
    }
    return ChartFactory.createBarChart(
        "core: mmkit Mapping vs raw MemorySegment (lower is better)",
        "offset spread",
        "ns per read (getLong) or per 4 KiB copy",
        data,
        PlotOrientation.VERTICAL,
        true,
        false,
        false);
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
        ChartFactory.createBarChart(
            "key-value stores: speed relative to the fastest store of each operation",
            null,
            "relative speed (1.0 = fastest)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
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
        ChartFactory.createBarChart(
            "IPC round trip between two processes (lower is better)",
            null,
            "microseconds (log scale)",
            data,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    LogAxis axis = new LogAxis("microseconds (log scale)");
    axis.setSmallestValue(0.1);
    axis.setNumberFormatOverride(new java.text.DecimalFormat("0.##"));
    chart.getCategoryPlot().setRangeAxis(axis);
    return chart;
  }
}
