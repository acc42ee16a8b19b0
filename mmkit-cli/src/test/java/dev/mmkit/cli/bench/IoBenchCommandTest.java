package dev.mmkit.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmkit.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class IoBenchCommandTest {
  @TempDir Path directory;

  @Test
  void shouldReportEveryRowAndMethodAsJson() throws IOException {
    Path chart = directory.resolve("io.svg");
    Result result =
        run(
            "bench",
            "io",
            "--size",
            "1MiB",
            "--files",
            "16",
            "--repeats",
            "1",
            "--json",
            "--dir",
            directory.toString(),
            "--chart",
            chart.toString());

    assertThat(result.exitCode()).isZero();
    JsonNode root = new ObjectMapper().readTree(result.out());
    assertThat(root.path("bench").asText()).isEqualTo("io");
    assertThat(root.path("environment").path("pinned").isBoolean()).isTrue();
    assertThat(root.path("environment").path("fileSize").asLong()).isEqualTo(1 << 20);
    assertThat(root.path("environment").path("jdk").asText()).isNotEmpty();
    assertThat(root.path("limit").path("bytesPerSecond").asDouble()).isPositive();
    List<String> workloads = new ArrayList<>();
    for (JsonNode row : root.path("rows")) {
      workloads.add(row.path("workload").asText());
      assertThat(row.path("verdict").asText()).isNotEmpty();
      assertThat(row.path("adviceTopic").asText()).isNotEmpty();
      assertThat(row.path("adviceFavours").asText()).isIn("mmap", "plain reads");
      assertThat(row.path("adaptiveWithin10Percent").isBoolean()).isTrue();
      assertThat(row.path("adaptiveStrategy").asText()).isNotEmpty();
      List<String> methods = new ArrayList<>();
      for (JsonNode method : row.path("methods")) {
        methods.add(method.path("method").asText());
        assertThat(method.path("medianNanos").asDouble()).isPositive();
        assertThat(method.path("fractionOfLimit").asDouble()).isPositive();
        assertThat(method.path("nanos")).hasSize(1);
      }
      assertThat(methods).containsExactly("mapped", "channel", "raf", "stream", "adaptive");
    }
    assertThat(workloads).containsExactly("random-8", "random-4k", "scan", "small-files");
    assertThat(Files.readString(chart)).contains("<svg");
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void shouldPrintTheTableBesideTheUsualAdviceAndDrawPng() throws IOException {
    Path chart = directory.resolve("charts/io.png");
    Path json = directory.resolve("io.json");
    Result result =
        run(
            "bench",
            "io",
            "--size",
            "256KiB",
            "--files",
            "8",
            "--repeats",
            "1",
            "--dir",
            directory.toString(),
            "--json=" + json,
            "--chart",
            chart.toString());

    assertThat(result.exitCode()).isZero();
    assertThat(result.out())
        .contains("when mmap wins")
        .contains("random 8-byte reads")
        .contains("sequential scan")
        .contains("small files")
        .contains("in-memory limit")
        .contains("usual advice")
        .contains("mmap: good fit for random access over large files")
        .containsAnyOf("not pinned", "pinned:");
    byte[] png = Files.readAllBytes(chart);
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');
    JsonNode saved = new ObjectMapper().readTree(Files.readString(json));
    assertThat(saved.path("environment").path("fileSize").asLong()).isEqualTo(256 << 10);
    assertThat(leftovers()).isEmpty();
  }

  @Test
  void shouldRejectSizeThatIsNotAByteCount() {
    Result result = run("bench", "io", "--size", "lots", "--dir", directory.toString());
    assertThat(result.exitCode()).isEqualTo(2);
  }

  @Test
  void shouldReadByteSizesWithBinaryUnits() {
    ByteSizeConverter converter = new ByteSizeConverter();
    assertThat(converter.convert("4096")).isEqualTo(4096L);
    assertThat(converter.convert("64k")).isEqualTo(64L << 10);
    assertThat(converter.convert("512MiB")).isEqualTo(512L << 20);
    assertThat(converter.convert("4G")).isEqualTo(4L << 30);
    assertThat(converter.convert("2GB")).isEqualTo(2L << 30);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> converter.convert("12x"))
        .isInstanceOf(CommandLine.TypeConversionException.class);
  }

  private List<Path> leftovers() throws IOException {
    try (Stream<Path> paths = Files.list(directory)) {
      return paths.filter(p -> p.getFileName().toString().startsWith("mmkit-bench-io-")).toList();
    }
  }

  private record Result(int exitCode, String out) {}

  private static Result run(String... args) {
    StringWriter out = new StringWriter();
    int exitCode = Main.run(new PrintWriter(out, true), new PrintWriter(new StringWriter()), args);
    return new Result(exitCode, out.toString());
  }
}
