package dev.mmkit.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmkit.bench.kv.KvFiles;
import dev.mmkit.bench.kv.KvStores;
import dev.mmkit.bench.report.Charts;
import dev.mmkit.bench.report.KvSize;
import dev.mmkit.bench.report.Measurement;
import dev.mmkit.bench.report.Report;
import dev.mmkit.harness.ipc.TransportKind;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * BenchRunner runs mmkit's side-by-side comparisons with its peers in one go through JMH and writes
 * a Markdown table, JSON and charts: {@code scripts/bench.sh} starts it on JDK 25.
 *
 * <p>Options: {@code --out DIR} (default {@code docs/bench}), {@code --groups core,kv,ipc} (or
 * {@code kv-durable}: the key-value stores' durable puts alone), {@code --stores ...}, {@code
 * --transports ...} (default: every IPC channel of the harness's {@link TransportKind}; a reference
 * such as the floor runs round trips only), {@code --entries N} (default 1000000), {@code --pin
 * CPU|none} (core and key-value forks run under {@code taskset -c CPU}; default 0 on machines with
 * more than one CPU; IPC forks are never pinned, the two processes need two CPUs), {@code --quick}
 * (tiny data and iterations: checks that everything runs, measures nothing), and {@code --render
 * FILE} (no benchmark: rewrites RESULTS.md and the charts in {@code --out} from a results.json).
 */
public final class BenchRunner {
  private final Map<String, String> options = new LinkedHashMap<>();

  private BenchRunner(String[] args) {
    options.put("out", "docs/bench");
    options.put("groups", "core,kv,ipc");
    options.put("stores", String.join(",", KvStores.NAMES));
    options.put(
        "transports",
        String.join(
            ",",
            TransportKind.availableKinds().stream()
                .filter(kind -> kind.role() == TransportKind.Role.CHANNEL)
                .map(TransportKind::label)
                .toList()));
    options.put("entries", "1000000");
    options.put("pin", Runtime.getRuntime().availableProcessors() > 1 ? "0" : "none");
    options.put("render", "");
    java.util.Iterator<String> rest = Arrays.asList(args).iterator();
    while (rest.hasNext()) {
      String arg = rest.next();
      if (arg.equals("--quick")) {
        options.put("quick", "true");
      } else if (arg.startsWith("--") && options.containsKey(arg.substring(2)) && rest.hasNext()) {
        options.put(arg.substring(2), rest.next());
      } else {
        throw new IllegalArgumentException(
            "unknown option or missing value: " + arg + " (see BenchRunner's class comment)");
      }
    }
  }

  /** Runs the benchmarks; see the class comment for the options. */
  public static void main(String[] args) throws IOException, RunnerException {
    new BenchRunner(args).run();
  }

  private boolean quick() {
    return options.containsKey("quick");
  }

  private List<String> list(String key) {
    return Arrays.asList(options.get(key).split(","));
  }

  private void run() throws IOException, RunnerException {
    Path out = Path.of(options.get("out")).toAbsolutePath();
    if (!options.get("render").isEmpty()) {
      render(Path.of(options.get("render")), out);
      return;
    }
    Path data = KvFiles.dataDirectory();
    Files.createDirectories(out);
    Files.createDirectories(data);
    Files.deleteIfExists(data.resolve("kv-sizes.tsv"));
    Files.deleteIfExists(data.resolve("kv-stores.tsv"));
    Files.deleteIfExists(data.resolve("kv-cold.tsv"));
    Map<String, Object> environment = environment();
    List<Measurement> measurements = new ArrayList<>();
    String pinnedJava = pinnedJava(data);
    if (list("groups").contains("core")) {
      ChainedOptionsBuilder core = base(pinnedJava).include(".*MappingReadBenchmark.*");
      if (quick()) {
        core.param("fileSize", Long.toString(16L << 20)).param("spread", "hot");
      }
      measurements.addAll(run("core", core));
    }
    boolean kvReads = list("groups").contains("kv");
    if (kvReads || list("groups").contains("kv-durable")) {
      for (String store : list("stores")) {
        if (kvReads) {
          ChainedOptionsBuilder kv =
              base(pinnedJava)
                  .include(".*\\.Kv(Read|Write)Benchmark.*")
                  .param("store", store)
                  .param("entries", quick() ? "20000" : options.get("entries"))
                  .param("cache", "warm", "cold")
                  .jvmArgsAppend(flags(KvStores.jvmArgs(store), data));
          measurements.addAll(run("kv", kv));
        }
        // Not pinned: a flush and the threads that wait for it need both CPUs.
        ChainedOptionsBuilder durable =
            base(null)
                .include(
                    KvStores.CONCURRENT_WRITERS.contains(store)
                        ? ".*\\.KvDurablePutBenchmark.*"
                        : ".*\\.KvDurablePutBenchmark\\.oneWriter")
                .param("store", store)
                .param("entries", quick() ? "20000" : options.get("entries"))
                .jvmArgsAppend(flags(KvStores.jvmArgs(store), data));
        measurements.addAll(run("kv", durable));
      }
    }
    if (list("groups").contains("ipc")) {
      for (String transport : list("transports")) {
        TransportKind kind = TransportKind.named(transport).requireAvailable();
        ChainedOptionsBuilder ipc =
            base(null)
                .include(
                    kind.role() == TransportKind.Role.CHANNEL
                        ? ".*IpcBenchmark.*"
                        : ".*IpcBenchmark\\.roundTrip")
                .param("transport", transport)
                .jvmArgsAppend(flags(kind.jvmArgs(), data));
        if (quick()) {
          ipc.param("size", "32");
        }
        measurements.addAll(run("ipc", ipc));
      }
    }
    environment.put("load average after", loadAverage());
    write(out, data, environment, measurements);
  }

  private ChainedOptionsBuilder base(String java) {
    ChainedOptionsBuilder builder = new OptionsBuilder().shouldFailOnError(true);
    if (java != null) {
      builder.jvm(java);
    }
    if (quick()) {
      builder
          .warmupIterations(1)
          .warmupTime(TimeValue.milliseconds(100))
          .measurementIterations(1)
          .measurementTime(TimeValue.milliseconds(200));
    }
    return builder;
  }

  private static String[] flags(List<String> storeFlags, Path data) {
    List<String> flags = new ArrayList<>(storeFlags);
    flags.add("-D" + KvFiles.DATA_PROPERTY + "=" + data);
    return flags.toArray(String[]::new);
  }

  private static List<Measurement> run(String group, ChainedOptionsBuilder options)
      throws RunnerException {
    List<Measurement> measurements = new ArrayList<>();
    for (RunResult result : new Runner(options.build()).run()) {
      measurements.add(Measurement.of(group, result));
    }
    return measurements;
  }

  /** Writes a java launcher that pins the forks to one CPU, or returns null when not pinning. */
  private String pinnedJava(Path data) throws IOException {
    String cpu = options.get("pin");
    if (cpu.equals("none") || !new File("/usr/bin/taskset").canExecute()) {
      options.put("pin", "none");
      return null;
    }
    String java = ProcessHandle.current().info().command().orElse("java");
    Path script = data.resolve("pinned-java");
    Files.writeString(
        script,
        "#!/bin/sh\nexec /usr/bin/taskset -c " + cpu + " '" + java + "' \"$@\"\n",
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script.toString();
  }

  private Map<String, Object> environment() {
    Map<String, Object> environment = new LinkedHashMap<>();
    environment.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
    environment.put("JDK", Runtime.version() + " (" + System.getProperty("java.vm.name") + ")");
    environment.put("OS", System.getProperty("os.name") + " " + System.getProperty("os.version"));
    environment.put("CPUs", Runtime.getRuntime().availableProcessors());
    environment.put("memory", memory());
    environment.put(
        "pinned",
        options.get("pin").equals("none")
            ? "no"
            : "core and key-value forks on CPU " + options.get("pin") + " (taskset); IPC not");
    environment.put("load average before", loadAverage());
    environment.put("options", options.toString());
    environment.put("quick", quick() ? "yes: smoke run, figures mean nothing" : "no");
    return environment;
  }

  private static String memory() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith("MemTotal:")) {
          long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
          return String.format("%.1f GiB", kib / 1048576.0);
        }
      }
    } catch (IOException | RuntimeException e) {
      // Not Linux.
    }
    return "unknown";
  }

  private static String loadAverage() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Renders RESULTS.md and the charts again from an earlier run's results.json. */
  @SuppressWarnings("unchecked")
  private static void render(Path results, Path out) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    com.fasterxml.jackson.databind.JsonNode root = mapper.readTree(results.toFile());
    Map<String, Object> environment = mapper.convertValue(root.get("environment"), Map.class);
    List<Measurement> measurements =
        Arrays.asList(mapper.treeToValue(root.get("measurements"), Measurement[].class));
    List<KvSize> sizes = Arrays.asList(mapper.treeToValue(root.get("kvSizes"), KvSize[].class));
    Map<String, String[]> stores = new LinkedHashMap<>();
    root.get("kvStores")
        .properties()
        .forEach(e -> stores.put(e.getKey(), mapper.convertValue(e.getValue(), String[].class)));
    Map<String, Double> cold = new LinkedHashMap<>();
    if (root.has("kvColdResidency")) {
      root.get("kvColdResidency")
          .properties()
          .forEach(e -> cold.put(e.getKey(), e.getValue().asDouble()));
    }
    Files.createDirectories(out);
    Files.writeString(
        out.resolve("RESULTS.md"),
        new Report(environment, measurements, sizes, stores, cold).markdown());
    Charts.write(measurements, out.toFile());
    System.out.println("mmkit-bench: rendered " + out.resolve("RESULTS.md") + " from " + results);
  }

  private static void write(
      Path out, Path data, Map<String, Object> environment, List<Measurement> measurements)
      throws IOException {
    List<KvSize> sizes = new ArrayList<>();
    Path sizeFile = data.resolve("kv-sizes.tsv");
    if (Files.exists(sizeFile)) {
      for (String line : Files.readAllLines(sizeFile)) {
        sizes.add(KvSize.parse(line));
      }
    }
    Map<String, String[]> stores = new LinkedHashMap<>();
    Path storeFile = data.resolve("kv-stores.tsv");
    if (Files.exists(storeFile)) {
      for (String line : Files.readAllLines(storeFile)) {
        String[] fields = line.split("\t");
        stores.put(fields[0], Arrays.copyOfRange(fields, 1, 4));
      }
    }
    Map<String, Double> coldResidency = new LinkedHashMap<>();
    Path coldFile = data.resolve("kv-cold.tsv");
    if (Files.exists(coldFile)) {
      for (String line : Files.readAllLines(coldFile)) {
        String[] fields = line.split("\t");
        coldResidency.merge(fields[0], Double.parseDouble(fields[2]), Math::max);
      }
    }
    ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = mapper.createObjectNode();
    root.putPOJO("environment", environment);
    root.putPOJO("measurements", measurements);
    root.putPOJO("kvSizes", sizes);
    root.putPOJO("kvStores", stores);
    root.putPOJO("kvColdResidency", coldResidency);
    Files.writeString(out.resolve("results.json"), mapper.writeValueAsString(root));
    Report report = new Report(environment, measurements, sizes, stores, coldResidency);
    Files.writeString(out.resolve("RESULTS.md"), report.markdown());
    Charts.write(measurements, out.toFile());
    System.out.println("mmkit-bench: wrote " + out.resolve("RESULTS.md") + ", results.json, *.png");
  }
}
