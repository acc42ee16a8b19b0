package dev.mmkit.harness.io;

import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.Platform;
import dev.mmkit.harness.Pinning;
import dev.mmkit.harness.StepListener;
import java.io.IOException;
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

/**
 * IoBench measures {@code mmkit bench io} over one {@link IoDataset}: it warms the page cache,
 * times the in-memory limit, then every {@link IoMethod} on each chosen {@link IoWorkload}, each
 * method alone with its own channel or mapping open, {@value #WARM_UP_RUNS} untimed runs before the
 * timed ones. All methods of a workload must read the same bytes (their sums are compared).
 */
public final class IoBench {
  /**
   * Untimed runs of each method before its timed ones: the JIT compiles the loops, and a fresh
   * mapping can take a few passes over the same pages to reach its steady speed (the first touch of
   * a page costs microseconds on some VMs).
   */
  public static final int WARM_UP_RUNS = 3;

  private final IoDataset data;
  private final List<IoWorkload> workloads;
  private final int repeats;

  /**
   * Creates the bench of {@code workloads} over {@code data}, {@code repeats} timed runs each.
   *
   * @throws IllegalArgumentException if {@code repeats} is less than 1
   */
  public IoBench(IoDataset data, List<IoWorkload> workloads, int repeats) {
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be at least 1: repeats=" + repeats);
    }
    this.data = data;
    this.workloads = List.copyOf(workloads);
    this.repeats = repeats;
  }

  /** Returns the steps {@link #measure} reports: one per run of the limit and of each method. */
  public long steps() {
    return (long) (repeats + WARM_UP_RUNS) * (1 + workloads.size() * IoMethod.values().length);
  }

  /**
   * Reads the data once so that the page cache holds it, reporting one step per MiB of the large
   * file, and returns the resident share of the large file afterwards (-1 when unknown).
   */
  public double warm(StepListener progress) throws IOException {
    try (FileChannel channel = FileChannel.open(data.file(), StandardOpenOption.READ)) {
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

  /**
   * Times the limit and every method on every workload, reporting {@link #steps()} steps, and
   * returns the run. {@code resident} is what {@link #warm} returned, for the record.
   */
  public IoRun measure(double resident, Pinning pinning, StepListener progress) throws IOException {
    int runs = repeats + WARM_UP_RUNS;
    Map<IoWorkload, List<IoResult>> results = new EnumMap<>(IoWorkload.class);
    Map<IoWorkload, String> strategies = new EnumMap<>(IoWorkload.class);
    progress.say("in-memory limit");
    long[] limitNanos = measureLimit(runs, progress);
    for (IoWorkload workload : workloads) {
      strategies.put(workload, AdaptiveReads.strategyFor(workload, data));
      results.put(workload, measure(workload, runs, progress));
    }
    return new IoRun(environment(resident), pinning, limitNanos, data.size(), results, strategies);
  }

  private List<IoResult> measure(IoWorkload workload, int runs, StepListener progress)
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

  private long[] measureLimit(int runs, StepListener progress) {
    long[] nanos = new long[runs - WARM_UP_RUNS];
    try (MemoryLimit limit = new MemoryLimit(data.size())) {
      long expected = 0;
      for (int run = 0; run < runs; run++) {
        long start = System.nanoTime();
        long sum = limit.run();
        long elapsed = System.nanoTime() - start;
        if (run == 0) {
          expected = sum;
        } else if (sum != expected) {
          throw new IllegalStateException("memory changed under the limit run: run=" + run);
        }
        if (run >= WARM_UP_RUNS) {
          nanos[run - WARM_UP_RUNS] = elapsed;
        }
        progress.stepBy(1);
      }
    }
    return nanos;
  }

  private Map<String, Object> environment(double resident) {
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    environment.put("jdk", Runtime.version().toString());
    environment.put("vm", System.getProperty("java.vm.name"));
    environment.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    environment.put("arch", System.getProperty("os.arch"));
    environment.put("memoryBytes", totalMemory());
    environment.put("pageSize", Platform.pageSize());
    environment.put("fileSize", data.size());
    environment.put("smallFiles", data.smallFiles().length);
    environment.put("smallFileBytes", IoDataset.SMALL_FILE_BYTES);
    environment.put("repeats", repeats);
    environment.put("warmUpRuns", WARM_UP_RUNS);
    environment.put("residentFraction", resident);
    environment.put("directory", data.parent().toString());
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
}
