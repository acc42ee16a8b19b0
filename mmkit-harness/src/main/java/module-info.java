/**
 * The benchmark harness that the {@code mmkit} command and the JMH module share: IPC transports and
 * the peer process at their other end ({@code mmkit ipc bench}, the interleaved runs and the JMH
 * IPC benchmarks), file-reading workloads ({@code mmkit bench io}), and the one chart style.
 * JFreeChart, HdrHistogram and Agrona have no module descriptors and are required as automatic
 * modules; Agrona only where it is on the class path.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.mmkit.harness {
  requires dev.mmkit.core;
  requires dev.mmkit.ipc;
  requires java.management;
  requires HdrHistogram;
  requires com.fasterxml.jackson.databind;
  requires java.desktop;
  requires transitive org.jfree.jfreechart;
  requires org.jfree.svg;
  requires static org.agrona;

  exports dev.mmkit.harness;
  exports dev.mmkit.harness.chart;
  exports dev.mmkit.harness.io;
  exports dev.mmkit.harness.ipc;
}
