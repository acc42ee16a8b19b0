package dev.mmkit.cli.bench;

import java.awt.Color;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * IoChart draws the bench as a grouped bar chart with JFreeChart: one group per row of the seed's
 * table, one bar per method, each bar the method's speed relative to the best of its row. The file
 * name picks the format: {@code .svg} for SVG (JFreeSVG), anything else for PNG.
 */
final class IoChart {
  private static final int WIDTH = 1000;
  private static final int HEIGHT = 560;
  private static final Color[] PALETTE = {
    new Color(0xd6, 0x27, 0x28),
    new Color(0x1f, 0x77, 0xb4),
    new Color(0x2c, 0xa0, 0x2c),
    new Color(0xff, 0x7f, 0x0e),
    new Color(0x94, 0x67, 0xbd)
  };

  private IoChart() {}

  /** Writes the chart of {@code run} to {@code file}. */
  static void write(IoRun run, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    JFreeChart chart = chart(run);
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
      SVGGraphics2D svg = new SVGGraphics2D(WIDTH, HEIGHT);
      chart.draw(svg, new java.awt.Rectangle(0, 0, WIDTH, HEIGHT));
      Files.writeString(file, svg.getSVGDocument(), StandardCharsets.UTF_8);
    } else {
      ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
  }

  static JFreeChart chart(IoRun run) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (IoWorkload workload : run.results().keySet()) {
      IoResult best = run.best(workload);
      for (IoResult result : run.results().get(workload)) {
        dataset.addValue(
            best.medianNanos() / result.medianNanos(), result.method().column(), workload.title());
      }
    }
    JFreeChart chart =
        ChartFactory.createBarChart(
            "when mmap wins — and when it doesn't",
            null,
            "speed relative to the best method of the row",
            dataset,
            PlotOrientation.VERTICAL,
            true,
            false,
            false);
    chart.addSubtitle(
        new TextTitle(
            String.format(
                Locale.ROOT,
                "%s file, warm page cache, median of %s runs, JDK %s; %s; limit %.1f GB/s",
                dev.mmkit.cli.Sizes.bytes(run.size()),
                run.environment().get("repeats"),
                run.environment().get("jdk"),
                run.pinning().pinned() ? "pinned" : "not pinned",
                run.limitBytesPerSecond() / 1e9)));
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getRangeAxis().setUpperBound(1.05);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    for (int i = 0; i < PALETTE.length; i++) {
      renderer.setSeriesPaint(i, PALETTE[i]);
    }
    return chart;
  }
}
