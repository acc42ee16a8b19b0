package dev.mmkit.harness.chart;

import java.awt.Color;
import java.awt.Rectangle;
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
import org.jfree.data.category.CategoryDataset;
import org.jfree.svg.SVGGraphics2D;

/**
 * ChartStyle is the one look of every mmkit benchmark chart: grouped vertical bars on white, a
 * light grid, flat bars without shadows in one palette (the first series red, then blue, green,
 * orange), {@value #WIDTH} x {@value #HEIGHT} pixels, written as SVG when the file name ends in
 * {@code .svg} and as PNG otherwise. Charts are drawn headless.
 */
public final class ChartStyle {
  /** Width of a chart in pixels. */
  public static final int WIDTH = 1000;

  /** Height of a chart in pixels. */
  public static final int HEIGHT = 560;

  private static final Color[] PALETTE = {
    new Color(0xd6, 0x27, 0x28),
    new Color(0x1f, 0x77, 0xb4),
    new Color(0x2c, 0xa0, 0x2c),
    new Color(0xff, 0x7f, 0x0e),
    new Color(0x94, 0x67, 0xbd),
    new Color(0x8c, 0x56, 0x4b),
    new Color(0xe3, 0x77, 0xc2),
    new Color(0x7f, 0x7f, 0x7f),
    new Color(0xbc, 0xbd, 0x22),
    new Color(0x17, 0xbe, 0xcf)
  };

  private ChartStyle() {}

  /** Returns the colour of series {@code index}; the palette repeats after ten series. */
  private static Color color(int index) {
    return PALETTE[index % PALETTE.length];
  }

  /**
   * Returns a grouped bar chart of {@code data} in this style, with a legend: one group per column
   * key, one bar per row key. {@code categoryAxis} may be null for no axis label.
   */
  public static JFreeChart bars(
      String title, String categoryAxis, String valueAxis, CategoryDataset data) {
    System.setProperty("java.awt.headless", "true");
    JFreeChart chart =
        ChartFactory.createBarChart(
            title, categoryAxis, valueAxis, data, PlotOrientation.VERTICAL, true, false, false);
    chart.setBackgroundPaint(Color.WHITE);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    plot.getDomainAxis().setMaximumCategoryLabelLines(2);
    BarRenderer renderer = (BarRenderer) plot.getRenderer();
    renderer.setBarPainter(new StandardBarPainter());
    renderer.setShadowVisible(false);
    for (int i = 0; i < data.getRowCount(); i++) {
      renderer.setSeriesPaint(i, color(i));
    }
    return chart;
  }

  /**
   * Writes {@code chart} to {@code file}, creating its directory: SVG when the name ends in {@code
   * .svg} (any case), PNG otherwise.
   */
  public static Path save(JFreeChart chart, Path file) throws IOException {
    System.setProperty("java.awt.headless", "true");
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".svg")) {
      SVGGraphics2D svg = new SVGGraphics2D(WIDTH, HEIGHT);
      chart.draw(svg, new Rectangle(0, 0, WIDTH, HEIGHT));
      Files.writeString(file, svg.getSVGDocument(), StandardCharsets.UTF_8);
    } else {
      ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
    }
    return file;
  }
}
