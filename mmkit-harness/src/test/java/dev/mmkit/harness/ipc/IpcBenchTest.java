package dev.mmkit.harness.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IpcBenchTest {
  private static final IpcBench.Settings TINY =
      new IpcBench.Settings(2_000, 1_000, 20_000, 2_000, Duration.ofMillis(200), List.of());

  @Test
  void shouldMeasureAChannelAndAReferenceAndPrintBoth() throws Exception {
    IpcBench bench = new IpcBench(TINY);
    IpcBenchResult channel = bench.measure(TransportKind.MMKIT_BUSY_SPIN);
    IpcBenchResult reference = bench.measure(TransportKind.MAILBOX);
    IpcBenchResult floor = bench.measure(TransportKind.FLOOR);

    assertThat(channel.latency().count()).isEqualTo(2_000);
    assertThat(channel.latency().p50()).isPositive().isLessThanOrEqualTo(channel.latency().p99());
    assertThat(channel.hasThroughput()).isTrue();
    assertThat(channel.smallPerSecond()).isPositive();
    assertThat(channel.largePerSecond()).isPositive();
    assertThat(channel.idle().nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    assertThat(reference.hasThroughput()).isFalse();
    assertThat(reference.latency().count()).isEqualTo(2_000);

    assertThat(floor.hasThroughput()).isFalse();
    assertThat(floor.latency().p50()).isPositive();

    List<IpcBenchResult> run = List.of(floor, channel, reference);
    String table = IpcBenchReport.table(run, TINY);
    assertThat(table)
        .contains("mmkit-busy-spin")
        .contains("mailbox")
        .contains("x floor")
        .contains("busy-spin p50 is");
    ObjectMapper mapper = new ObjectMapper();
    JsonNode json = mapper.readTree(IpcBenchReport.jsonLine(reference, run, TINY));
    assertThat(json.path("transport").asText()).isEqualTo("mailbox");
    assertThat(json.has("throughput32B")).isFalse();
    assertThat(json.at("/roundTripMicros/p50").asDouble()).isEqualTo(reference.latency().p50());
    assertThat(json.path("p50VersusFloor").asDouble())
        .isCloseTo(reference.latency().p50() / floor.latency().p50(), within(0.001));
    JsonNode floorJson = mapper.readTree(IpcBenchReport.jsonLine(floor, run, TINY));
    assertThat(floorJson.path("p50VersusFloor").asDouble()).isEqualTo(1.0);
    JsonNode alone = mapper.readTree(IpcBenchReport.jsonLine(channel, List.of(channel), TINY));
    assertThat(alone.has("p50VersusFloor")).as("no floor in the run, no ratio").isFalse();
  }
}
