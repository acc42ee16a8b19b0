package dev.mmkit.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mmkit.cli.Progress;
import dev.mmkit.cli.Sizes;
import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.Platform;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * IoBenchCommand measures the seed's table "when mmap wins — and when it doesn't" on this machine:
 * random 8-byte and 4 KiB reads, a sequential scan and many small files, each through a mapping,
 * {@code FileChannel.read}, {@code RandomAccessFile}, a buffered stream and mmkit's adaptive
 * reader, against the in-memory limit.
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

  /**
   * Untimed runs of each method before its timed ones: the JIT compiles the loops, and a fresh
   * mapping on the VMs measured here took two to four passes over the same pages to reach its
   * steady speed (the first touch of a page costs several microseconds there).
   */
  static final int WARM_UP_RUNS = 3;

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

  @Option(names = "--json", description = "Print the results as JSON instead of the table.")
  boolean json;

  @Option(
      names = "--json-out",
      paramLabel = "FILE",
      description = "Also write the results as JSON to FILE.")
  Path jsonOut;

  @Option(
      names = "--chart",
      paramLabel = "FILE",
      description = "Draw a chart to FILE: .svg for SVG, otherwise PNG.")
  Path chart;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be at least 1: repeats=" + repeats);
    }
    long fileSize = Math.max(2L * IoDataset.PAGE, size & -IoDataset.PAGE);
    int smallFiles = files != null ? files : Math.clamp(fileSize / (40 << 10), 64, 100_000);
    int randomOps8 = Math.clamp(fileSize / IoDataset.PAGE, 10_000, 500_000);
    int randomOps4k = Math.max(2_500, randomOps8 / 2);
    PrintStream err = System.err;
    PrintWriter out = spec.commandLine().getOut();
    boolean terminal = Progress.onTerminal();
    Pinning pinning = Pinning.current();
    note(
        "mmkit bench io: %s file and %d small files in %s; %s",
        Sizes.bytes(fileSize), smallFiles, directory, pinning.describe());
    IoDataset data;
    try (Progress progress =
        Progress.start(
            "writing data",
            IoDataset.bytesToWrite(fileSize, smallFiles) >> 20,
            "MiB",
            terminal,
            err)) {
      long[] written = new long[1];
      data =
          IoDataset.create(
              directory,
              fileSize,
              smallFiles,
              randomOps8,
              randomOps4k,
              n -> {
                written[0] += n;
                progress.stepBy(written[0] >> 20);
                written[0] &= (1 << 20) - 1;
              });
    }
    try {
      double resident = warm(data, terminal, err);
      Map<String, Object> environment = environment(fileSize, smallFiles, resident);
      IoRun run = measure(data, environment, pinning, terminal, err);
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      String report = mapper.writeValueAsString(IoReport.json(run, mapper));
      if (jsonOut != null) {
        Files.writeString(jsonOut, report + System.lineSeparator());
      }
      if (json) {
        out.println(report);
      } else {
        out.print(IoReport.table(run));
      }
      if (chart != null) {
        IoChart.write(run, chart);
        spec.commandLine().getErr().printf("chart written to %s%n", chart);
      }
      out.flush();
      return 0;
    } finally {
      data.close();
    }
  }

  private IoRun measure(
      IoDataset data,
      Map<String, Object> environment,
      Pinning pinning,
      boolean terminal,
      PrintStream err)
      throws IOException {
    int runs = repeats + WARM_UP_RUNS;
    List<IoWorkload> rows = selectedWorkloads();
    long steps = (long) runs * (1 + rows.size() * IoMethod.values().length);
    Map<IoWorkload, List<IoResult>> results = new EnumMap<>(IoWorkload.class);
    Map<IoWorkload, String> strategies = new EnumMap<>(IoWorkload.class);
    long[] limitNanos;
    try (Progress progress = Progress.start("measuring", steps, "runs", terminal, err)) {
      progress.say("in-memory limit");
      limitNanos = measureLimit(data.size(), runs, progress);
      for (IoWorkload workload : rows) {
        strategies.put(workload, AdaptiveReads.strategyFor(workload, data));
        results.put(workload, measure(workload, data, runs, progress));
      }
    }
    return new IoRun(environment, pinning, limitNanos, data.size(), results, strategies);
  }

  private List<IoWorkload> selectedWorkloads() {
    if (workloads == null || workloads.isEmpty()) {
      return List.of(IoWorkload.values());
    }
    List<IoWorkload> selected = new ArrayList<>();
    for (String key : workloads) {
      IoWorkload match = null;
      for (IoWorkload workload : IoWorkload.values()) {
        if (workload.key().equals(key)) {
          match = workload;
        }
      }
      if (match == null) {
        throw new IllegalArgumentException(
            "unknown workload: workload=" + key + " (random-8, random-4k, scan, small-files)");
      }
      selected.add(match);
    }
    return selected;
  }

  private List<IoResult> measure(IoWorkload workload, IoDataset data, int runs, Progress progress)
      throws IOException {
    IoMethod[] methods = IoMethod.values();
    long[][] nanos = new long[methods.length][repeats];
    Long expected = null;
    for (int m = 0; m < methods.length; m++) {
      progress.say(workload.title() + " / " + methods[m].column());
      try (IoReads reads = IoReads.of(methods[m], data)) {
        for (int run = 0; run < runs; run++) {
          long start = System.nanoTime();
          long sum = reads.run(workload);
          long elapsed = System.nanoTime() - start;
          if (expected == null) {
            expected = sum;
          } else if (sum != expected) {
            throw new IllegalStateException(
                "methods read different bytes: workload="
                    + workload.key()
                    + ", method="
                    + methods[m].key()
                    + ", sum="
                    + sum
                    + ", expected="
                    + expected);
          }
          if (run >= WARM_UP_RUNS) {
            nanos[m][run - WARM_UP_RUNS] = elapsed;
          }
          progress.stepBy(1);
        }
      }
    }
    List<IoResult> results = new ArrayList<>();
    for (int m = 0; m < methods.length; m++) {
      results.add(
          new IoResult(
              workload,
              methods[m],
              nanos[m],
              data.operations(workload),
              data.bytesPerOperation(workload)));
    }
    return results;
  }

  private static long[] measureLimit(long size, int runs, Progress progress) {
    long[] nanos = new long[runs - WARM_UP_RUNS];
    try (MemoryLimit limit = new MemoryLimit(size)) {
      long expected = 0;
      for (int run = 0; run < runs; run++) {
        long start = System.nanoTime();
        long sum = limit.run();
        long elapsed = System.nanoTime() - start;
        if (run == 0) {
          expected = sum;
        } else if (sum != expected) {
          throw new IllegalStateException("memory changed under the limit run");
        }
        if (run >= WARM_UP_RUNS) {
          nanos[run - WARM_UP_RUNS] = elapsed;
        }
        progress.stepBy(1);
      }
    }
    return nanos;
  }

  /** Reads the data once so the page cache holds it; returns the resident share of the file. */
  private static double warm(IoDataset data, boolean terminal, PrintStream err) throws IOException {
    try (Progress progress =
            Progress.start("warming cache", data.size() >> 20, "MiB", terminal, err);
        FileChannel channel = FileChannel.open(data.file(), StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(1 << 20);
      for (long at = 0; at < data.size(); at += buffer.capacity()) {
        buffer.clear();
        channel.read(buffer, at);
        progress.stepBy(1);
      }
      for (Path file : data.smallFiles()) {
        Files.readAllBytes(file);
      }
    }
    try (MappedFile file = MappedFile.open(data.file(), MapMode.READ_ONLY);
        Mapping mapping = file.map()) {
      return mapping.residency().isKnown() ? mapping.residency().fraction() : -1;
    }
  }

  private Map<String, Object> environment(long fileSize, int smallFiles, double resident) {
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    environment.put("jdk", Runtime.version().toString());
    environment.put("vm", System.getProperty("java.vm.name"));
    environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    environment.put("arch", System.getProperty("os.arch"));
    environment.put("memoryBytes", totalMemory());
    environment.put("pageSize", Platform.pageSize());
    environment.put("fileSize", fileSize);
    environment.put("smallFiles", smallFiles);
    environment.put("smallFileBytes", IoDataset.SMALL_FILE_BYTES);
    environment.put("repeats", repeats);
    environment.put("warmUpRuns", WARM_UP_RUNS);
    environment.put("residentFraction", resident);
    environment.put("directory", directory.toString());
    return environment;
  }

  private static long totalMemory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) << 10;
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux: unknown.
    }
    return -1;
  }

  private void note(String format, Object... args) {
    PrintWriter to = json ? spec.commandLine().getErr() : spec.commandLine().getOut();
    to.printf(format + "%n", args);
    to.flush();
  }
}
