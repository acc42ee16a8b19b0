/**
 * The benchmark harness that the {@code mmkit} command and the JMH module share: file-reading
 * workloads ({@code mmkit bench io}) and the chart style. JFreeChart has no module descriptor and
 * is required as an automatic module; charts are part of this module's API.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.mmkit.harness {
  requires dev.mmkit.core;
  requires com.fasterxml.jackson.databind;
  requires java.desktop;
  requires transitive org.jfree.jfreechart;
  requires org.jfree.svg;

  exports dev.mmkit.harness;
  exports dev.mmkit.harness.chart;
  exports dev.mmkit.harness.io;
}
