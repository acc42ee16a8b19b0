/**
 * The {@code mmkit} command line: tour, residency, ipc, kv and bench. The benchmark verbs'
 * machinery lives in {@code dev.mmkit.harness}; this module parses, prints and returns exit codes.
 */
module dev.mmkit.cli {
  requires dev.mmkit.core;
  requires dev.mmkit.ipc;
  requires dev.mmkit.kv;
  requires dev.mmkit.harness;
  requires info.picocli;
  requires com.fasterxml.jackson.databind;
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
