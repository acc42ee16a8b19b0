/** The {@code mmkit} command line: tour, residency, ipc, kv and bench. */
@SuppressWarnings("requires-automatic")
module dev.mmkit.cli {
  requires dev.mmkit.core;
  requires dev.mmkit.ipc;
  requires java.management;
  requires HdrHistogram;
  requires dev.mmkit.kv;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;

  opens dev.mmkit.cli to
      info.picocli;
  opens dev.mmkit.cli.kv to
      info.picocli;
  opens dev.mmkit.cli.ipc to
      info.picocli;
}
