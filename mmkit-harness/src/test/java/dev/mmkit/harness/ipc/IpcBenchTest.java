package dev.mmkit.harness.ipc;

import static org.assertj.core.api.Assertions.assertThat;

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

    assertThat(channel.latency().count()).isEqualTo(2_000);
    assertThat(channel.latency().p50()).isPositive().isLessThanOrEqualTo(channel.latency().p99());
    assertThat(channel.hasThroughput()).isTrue();
    assertThat(channel.smallPerSecond()).isPositive();
    assertThat(channel.largePerSecond()).isPositive();
    assertThat(channel.idle().nanos()).isGreaterThanOrEqualTo(Duration.ofMillis(200).toNanos());
    assertThat(reference.hasThroughput()).isFalse();
    assertThat(reference.latency().count()).isEqualTo(2_000);

    String table = IpcBenchReport.table(List.of(channel, reference), TINY);
    assertThat(table).contains("mmkit-busy-spin").contains("mailbox").contains("p50 us");
    JsonNode json = new ObjectMapper().readTree(IpcBenchReport.jsonLine(reference, TINY));
    assertThat(json.path("transport").asText()).isEqualTo("mailbox");
    assertThat(json.has("throughput32B")).isFalse();
    assertThat(json.at("/roundTripMicros/p50").asDouble()).isEqualTo(reference.latency().p50());
  }
}
