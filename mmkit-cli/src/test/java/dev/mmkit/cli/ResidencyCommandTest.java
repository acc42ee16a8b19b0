package dev.mmkit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmkit.core.Feature;
import dev.mmkit.core.Platform;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidencyCommandTest {
  @TempDir Path dir;

  @Test
  void shouldReportEachFileAsJsonAfterTouchAndEvict() throws Exception {
    assumeTrue(Platform.isLive(Feature.RESIDENCY), "residency needs native access");
    Path file = dir.resolve("data.bin");
    Files.write(file, new byte[1 << 20]);
    Path empty = Files.createFile(dir.resolve("empty.bin"));

    JsonNode touched = json(CliRun.of("residency", "--touch", "--json", file.toString()));
    assertThat(touched.get("file").asText()).isEqualTo(file.toString());
    assertThat(touched.get("size").asLong()).isEqualTo(1 << 20);
    assertThat(touched.get("pageSize").asLong()).isEqualTo(Platform.pageSize());
    assertThat(touched.get("pages").asLong()).isEqualTo((1 << 20) / Platform.pageSize());
    assertThat(touched.get("resident").asLong()).isEqualTo(touched.get("pages").asLong());

    JsonNode evicted = json(CliRun.of("residency", "--evict", "--json", file.toString()));
    assertThat(evicted.get("resident").asLong()).isZero();

    CliRun both = CliRun.of("residency", "--json", file.toString(), empty.toString());
    assertThat(both.exitCode()).isZero();
    assertThat(both.out().lines()).hasSize(2);
    assertThat(json(both.out().lines().toList().get(1)).get("pages").asLong()).isZero();
  }

  @Test
  void shouldDrawAPictureInTextMode() throws Exception {
    Path file = dir.resolve("picture.bin");
    Files.write(file, new byte[64 << 10]);
    CliRun run = CliRun.of("residency", "--touch", file.toString());
    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).contains(file.toString(), "pages=16");
    if (Platform.isLive(Feature.RESIDENCY)) {
      assertThat(run.out()).contains("resident=16 (100.0%)", "[OOOOOOOOOOOOOOOO]");
    }
  }

  @Test
  void shouldExitNotFoundWithOneLineForAMissingFile() {
    CliRun run = CliRun.of("residency", dir.resolve("missing").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(run.err().lines()).hasSize(1);
    assertThat(run.err()).startsWith("mmkit: no such file");
  }

  @Test
  void shouldPrintTheStackTraceOnlyWithDebug() {
    CliRun run = CliRun.of("residency", "--debug", dir.resolve("missing").toString());
    assertThat(run.exitCode()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(run.err().lines().count()).isGreaterThan(1);
    assertThat(run.err()).contains("at dev.mmkit.cli");
  }

  @Test
  void shouldRejectTouchTogetherWithEvict() {
    CliRun run = CliRun.of("residency", "--touch", "--evict", "x");
    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
  }

  private static JsonNode json(CliRun run) throws Exception {
    assertThat(run.exitCode()).as(run.err()).isZero();
    return json(run.out().strip());
  }

  private static JsonNode json(String line) throws Exception {
    return new ObjectMapper().readTree(line);
  }
}
