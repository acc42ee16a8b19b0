package dev.mmkit.cli.bench;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Progress;
import dev.mmkit.cli.Sizes;
import dev.mmkit.cli.Usage;
import dev.mmkit.harness.Pinning;
import dev.mmkit.harness.io.IoBench;
import dev.mmkit.harness.io.IoChart;
import dev.mmkit.harness.io.IoDataset;
import dev.mmkit.harness.io.IoReport;
import dev.mmkit.harness.io.IoRun;
import dev.mmkit.harness.io.IoWorkload;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * IoBenchCommand measures on this machine the usual advice on when mapping beats plain reads:
 * random 8-byte and 4 KiB reads, a sequential scan and many small files, each through a mapping,
 * {@code FileChannel.read}, {@code RandomAccessFile}, a buffered stream and mmkit's adaptive
 * reader, against the in-memory limit. The measuring is {@link IoBench}'s; this verb parses, shows
 * progress and prints.
 */
@Command(
    name = "io",
    mixinStandardHelpOptions = true,
    description = {
      "Measure when mmap wins: random reads, a sequential scan and small files, each through a",
      "mapping, FileChannel.read, RandomAccessFile, a buffered stream and mmkit's adaptive reader,",
      "against the in-memory limit. Warm page cache, median of several runs.",
      "Pinned runs are steadier on small VMs: taskset -c 0 ./mmkit bench io"
    })
final class IoBenchCommand implements Callable<Integer> {
  static final long DEFAULT_SIZE = 2L << 30;

  @Option(
      names = "--size",
      converter = ByteSizeConverter.class,
      paramLabel = "BYTES",
      description = "Size of the large file, e.g. 256MiB or 4GiB (default: 2GiB).")
  long size = DEFAULT_SIZE;

  @Option(
      names = "--files",
      paramLabel = "N",
      description = "Number of small files (default: size / 40 KiB, between 64 and 100000).")
  Integer files;

  @Option(
      names = "--repeats",
      paramLabel = "N",
      description = "Measured runs per method, after three warm-up runs (default: 5).")
  int repeats = 5;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "Where to create the data; it is deleted afterwards (default: temp dir).")
  Path directory = Path.of(System.getProperty("java.io.tmpdir"));

  @Option(
      names = "--workloads",
      split = ",",
      paramLabel = "ROW",
      description = "Rows to measure: random-8, random-4k, scan, small-files (default: all).")
  List<String> workloads;

  /** What {@code --json} alone means: print the JSON on standard output. */
  private static final String STANDARD_OUTPUT = "-";

  @Option(
      names = "--json",
      arity = "0..1",
      paramLabel = "FILE",
      fallbackValue = STANDARD_OUTPUT,
      description =
          "Print the results as JSON instead of the table; with =FILE, write the JSON to FILE"
              + " and still print the table.")
  String json;

  @Option(
      names = "--chart",
      paramLabel = "FILE",
      description = "Draw a chart to FILE: .svg for SVG, otherwise PNG.")
  Path chart;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (repeats < 1) {
      throw Usage.wrong(spec, "--repeats must be at least 1: repeats=" + repeats);
    }
    List<IoWorkload> rows = IoWorkload.select(workloads);
    long fileSize = Math.max(2L * IoDataset.PAGE, size & -IoDataset.PAGE);
    int smallFiles = files != null ? files : Math.clamp(fileSize / (40 << 10), 64, 100_000);
    PrintStream err = System.err;
    PrintWriter out = spec.commandLine().getOut();
    boolean terminal = Progress.onTerminal();
    Pinning pinning = Pinning.current();
    note(
        "mmkit bench io: %s file and %d small files in %s; %s",
        Sizes.bytes(fileSize), smallFiles, directory, pinning.describe());
    try (IoDataset data = create(fileSize, smallFiles, terminal, err)) {
      IoBench bench = new IoBench(data, rows, repeats);
      double resident;
      try (Progress progress =
          Progress.start("warming cache", data.size() >> 20, "MiB", terminal, err)) {
        resident = bench.warm(progress);
      }
      IoRun run;
      try (Progress progress = Progress.start("measuring", bench.steps(), "runs", terminal, err)) {
        run = bench.measure(resident, pinning, progress);
      }
      String report = IoReport.json(run);
      if (json != null && !jsonToStandardOutput()) {
        Files.writeString(Path.of(json), report + System.lineSeparator());
      }
      if (jsonToStandardOutput()) {
        out.println(report);
      } else {
        out.print(IoReport.table(run));
      }
      if (chart != null) {
        IoChart.write(run, chart);
        spec.commandLine().getErr().printf("chart written to %s%n", chart);
      }
      out.flush();
      return ExitCode.OK;
    }
  }

  private IoDataset create(long fileSize, int smallFiles, boolean terminal, PrintStream err)
      throws IOException {
    long mebibytes = IoDataset.bytesToWrite(fileSize, smallFiles) >> 20;
    try (Progress progress = Progress.start("writing data", mebibytes, "MiB", terminal, err)) {
      long[] written = new long[1];
      return IoDataset.create(
          directory,
          fileSize,
          smallFiles,
          n -> {
            written[0] += n;
            progress.stepBy(written[0] >> 20);
            written[0] &= (1 << 20) - 1;
          });
    }
  }

  private boolean jsonToStandardOutput() {
    return STANDARD_OUTPUT.equals(json);
  }

  private void note(String format, Object... args) {
    PrintWriter to =
        jsonToStandardOutput() ? spec.commandLine().getErr() : spec.commandLine().getOut();
    to.printf(format + "%n", args);
    to.flush();
  }
}
