package dev.mmkit.harness.chart;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChartStyleTest {
  @TempDir Path directory;

  private static JFreeChart chart() {
    DefaultCategoryDataset data = new DefaultCategoryDataset();
    for (int series = 0; series < 12; series++) {
      data.addValue(series + 1, "series " + series, "group");
    }
    return ChartStyle.bars("title", null, "value", data);
  }

  @Test
  void shouldGiveNeighbouringSeriesDifferentColoursOnWhite() {
    JFreeChart chart = chart();
    BarRenderer renderer = (BarRenderer) chart.getCategoryPlot().getRenderer();
    assertThat(chart.getBackgroundPaint()).isEqualTo(Color.WHITE);
    assertThat(renderer.getSeriesPaint(0)).isEqualTo(new Color(0xd6, 0x27, 0x28));
    for (int series = 1; series < 10; series++) {
      assertThat(renderer.getSeriesPaint(series))
          .as("series %d", series)
          .isNotEqualTo(renderer.getSeriesPaint(series - 1));
    }
    assertThat(renderer.getSeriesPaint(10)).isEqualTo(renderer.getSeriesPaint(0));
  }

  @Test
  void shouldPickTheFormatFromTheFileName() throws IOException {
    Path svg = ChartStyle.save(chart(), directory.resolve("nested/chart.SVG"));
    Path png = ChartStyle.save(chart(), directory.resolve("chart.png"));
    assertThat(Files.readString(svg)).contains("<svg");
    assertThat(Files.readAllBytes(png)).startsWith(0x89, 'P', 'N', 'G');
  }
}
