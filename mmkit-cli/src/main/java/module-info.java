/**
 * The {@code mmkit} command line: tour, residency, ipc, kv and bench. JFreeChart has no module
 * descriptor and is required as an automatic module.
 */
@SuppressWarnings("requires-automatic")
module dev.mmkit.cli {
  requires dev.mmkit.core;
  requires dev.mmkit.ipc;
  requires java.management;
  requires HdrHistogram;
  requires dev.mmkit.kv;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
  requires java.desktop;
  requires org.jfree.jfreechart;
  requires org.jfree.svg;
  requires me.tongfei.progressbar;

  opens dev.mmkit.cli to
      info.picocli;
  opens dev.mmkit.cli.bench to
      info.picocli;
  opens dev.mmkit.cli.kv to
      info.picocli;
  opens dev.mmkit.cli.ipc to
      info.picocli;
}
