package dev.mmkit.cli.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmkit.cli.Main;
import dev.mmkit.harness.ipc.TransportKind;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IpcCommandTest {
  @TempDir Path directory;

  /** Starts {@code mmkit ARGS} in a child JVM with the test class path. */
  static ProcessBuilder mmkit(String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-XX:+UseSerialGC");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    return new ProcessBuilder(command);
  }

  static Path randomFile(Path path, long size) throws IOException {
    Random random = new Random(size);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(path)) {
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        out.write(block, 0, (int) Math.min(block.length, size - written));
      }
    }
    return path;
  }

  private void pipe(long size) throws Exception {
    Path input = randomFile(directory.resolve("input"), size);
    Path output = directory.resolve("output");
    Path channel = directory.resolve("channel");
    Process recv =
        mmkit("ipc", "recv", channel.toString())
            .redirectOutput(output.toFile())
            .redirectError(directory.resolve("recv.err").toFile())
            .start();
    Process send =
        mmkit("ipc", "send", channel.toString())
            .redirectInput(input.toFile())
            .redirectError(directory.resolve("send.err").toFile())
            .start();
    long minutes = 1 + size / (256L << 20);
    try {
      assertThat(send.waitFor(minutes, TimeUnit.MINUTES)).isTrue();
      assertThat(recv.waitFor(minutes, TimeUnit.MINUTES)).isTrue();
    } finally {
      send.destroyForcibly();
      recv.destroyForcibly();
    }
    assertThat(send.exitValue()).as(Files.readString(directory.resolve("send.err"))).isZero();
    assertThat(recv.exitValue()).as(Files.readString(directory.resolve("recv.err"))).isZero();
    assertThat(Files.mismatch(input, output)).isEqualTo(-1);
    assertThat(channel).doesNotExist();
  }

  @Test
  void shouldPipeAFileThroughTheChannelByteForByte() throws Exception {
    pipe((24L << 20) + 12345);
  }

  @Test
  void shouldPipeAnEmptyInput() throws Exception {
    pipe(0);
  }

  @Test
  @Tag("soak")
  void shouldPipeOneGibibyteByteForByte() throws Exception {
    pipe(1L << 30);
  }

  @Test
  void shouldExitThreeSoonAfterTheSenderIsKilled() throws Exception {
    Path channel = directory.resolve("channel");
    Path output = directory.resolve("output");
    Process recv =
        mmkit("ipc", "recv", channel.toString())
            .redirectOutput(output.toFile())
            .redirectError(ProcessBuilder.Redirect.PIPE)
            .start();
    Process send = mmkit("ipc", "send", channel.toString()).start();
    try {
      killSenderMidStream(recv, send, output);
    } finally {
      send.destroyForcibly();
      recv.destroyForcibly();
    }
  }

  private static void killSenderMidStream(Process recv, Process send, Path output)
      throws Exception {
    OutputStream stdin = send.getOutputStream();
    stdin.write("first bytes of an endless stream\n".getBytes(StandardCharsets.UTF_8));
    stdin.flush();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (Files.size(output) == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(Files.size(output)).isPositive();
    send.destroyForcibly().waitFor();
    long killed = System.nanoTime();
    assertThat(recv.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killed);
    String error = new String(recv.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(recv.exitValue()).as(error).isEqualTo(3);
    assertThat(error).contains("sender died before the end of the stream");
    assertThat(seconds).as("seconds from the kill to recv's exit").isLessThan(10);
  }

  @Test
  void shouldBenchEveryTransportAndPrintJson() throws Exception {
    Process bench =
        mmkit(
                "ipc",
                "bench",
                "--json",
                "--round-trips",
                "2000",
                "--warmup",
                "500",
                "--small-messages",
                "20000",
                "--large-messages",
                "2000",
                "--idle-seconds",
                "1")
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out;
    try {
      out = new String(bench.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(bench.waitFor(2, TimeUnit.MINUTES)).isTrue();
    } finally {
      bench.destroyForcibly();
    }
    assertThat(bench.exitValue()).as(out).isZero();
    List<String> transports = new ArrayList<>();
    List<JsonNode> nodes = new ArrayList<>();
    for (String line : out.strip().split("\n")) {
      nodes.add(new ObjectMapper().readTree(line));
    }
    double floor = nodes.get(0).at("/roundTripMicros/p50").asDouble();
    for (JsonNode node : nodes) {
      TransportKind kind = TransportKind.named(node.get("transport").asText());
      transports.add(kind.label());
      assertThat(node.get("roundTrips").asLong()).isEqualTo(2000);
      assertThat(node.at("/roundTripMicros/p50").asDouble()).isPositive();
      assertThat(node.at("/roundTripMicros/p99.9").asDouble())
          .isGreaterThanOrEqualTo(node.at("/roundTripMicros/p50").asDouble());
      if (kind.role() == TransportKind.Role.CHANNEL) {
        assertThat(node.at("/throughput32B/messagesPerSecond").asLong()).isPositive();
        assertThat(node.at("/throughput4KiB/megabytesPerSecond").asDouble()).isPositive();
      } else {
        assertThat(node.has("throughput32B")).as(kind.label()).isFalse();
      }
      assertThat(node.has("idleReceiverCpuPercent")).isTrue();
      assertThat(node.path("p50VersusFloor").asDouble())
          .as("%s: p50 over the floor's p50 of the same run", kind.label())
          .isCloseTo(node.at("/roundTripMicros/p50").asDouble() / floor, within(0.001));
    }
    // Every transport of the harness that this class path has, and no other: a transport is
    // added in one place (TransportKind) and shows up here.
    assertThat(transports)
        .isEqualTo(TransportKind.availableKinds().stream().map(TransportKind::label).toList())
        .startsWith("floor")
        .contains("mmkit-busy-spin", "mmkit-blocking", "uds", "tcp")
        .doesNotContain("agrona");
  }

  @Test
  void shouldRefuseATransportThatIsNotOnTheClassPath() {
    StringWriter err = new StringWriter();
    int exitCode =
        Main.run(
            new PrintWriter(new StringWriter()),
            new PrintWriter(err, true),
            "ipc",
            "bench",
            "--transport",
            "agrona");
    assertThat(exitCode).isEqualTo(2);
    assertThat(err.toString()).contains("transport=agrona");
  }
}
