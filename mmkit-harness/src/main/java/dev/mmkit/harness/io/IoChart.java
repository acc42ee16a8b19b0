package dev.mmkit.harness.io;

import dev.mmkit.harness.chart.ChartStyle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.category.DefaultCategoryDataset;

/**
 * IoChart draws an {@link IoRun} in the {@link ChartStyle}: one group of bars per workload, one bar
 * per method, each bar the method's speed relative to the best method of its workload.
 */
public final class IoChart {
  private IoChart() {}

  /** Writes the chart of {@code run} to {@code file}: SVG for {@code .svg}, PNG otherwise. */
  public static void write(IoRun run, Path file) throws IOException {
    ChartStyle.save(chart(run), file);
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
        ChartStyle.bars(
            "when mmap wins — and when it doesn't",
            null,
            "speed relative to the best method of the row",
            dataset);
    chart.addSubtitle(
        new TextTitle(
            String.format(
                Locale.ROOT,
                "%s file, warm page cache, median of %s runs, JDK %s; %s; limit %.1f GB/s",
                IoReport.bytes(run.size()),
                run.environment().get("repeats"),
                run.environment().get("jdk"),
                run.pinning().pinned() ? "pinned" : "not pinned",
                run.limitBytesPerSecond() / 1e9)));
    chart.getCategoryPlot().getRangeAxis().setUpperBound(1.05);
    return chart;
  }
}
