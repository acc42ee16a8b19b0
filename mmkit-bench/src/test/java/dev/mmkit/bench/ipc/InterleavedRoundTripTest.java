package dev.mmkit.bench.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.harness.ipc.TransportKind;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class InterleavedRoundTripTest {
  private static final String[] TINY = {
    "--block", "200", "--blocks", "3", "--warmup-blocks", "1",
    "--throughput-blocks", "2", "--throughput-warmup-blocks", "1", "--messages", "2000"
  };

  @Test
  void shouldRunEveryTransportOfTheHarnessByDefault() throws Exception {
    InterleavedSettings settings = InterleavedSettings.parse(TINY);
    assertThat(settings.kinds()).isEqualTo(TransportKind.availableKinds());

    List<InterleavedSession.Result> results = new InterleavedSession(settings).run();

    assertThat(results).extracting(InterleavedSession.Result::kind).isEqualTo(settings.kinds());
    for (InterleavedSession.Result result : results) {
      assertThat(result.nanos()).as(result.kind().label()).hasSize(600);
      assertThat(result.blockMedians()).hasSize(3);
      assertThat(Arrays.stream(result.blockMedians()).min().orElseThrow()).isPositive();
      if (result.kind().role() == TransportKind.Role.CHANNEL) {
        assertThat(result.blockThroughput()).hasSize(2);
        assertThat(Arrays.stream(result.blockThroughput()).min().orElseThrow()).isPositive();
      } else {
        assertThat(result.blockThroughput()).isEmpty();
      }
    }
    String report = InterleavedReport.session(settings, results);
    for (TransportKind kind : settings.kinds()) {
      assertThat(report).contains(kind.label());
    }
    assertThat(report)
        .contains("target: mmkit-busy-spin round-trip p50 at most 1.30x the floor's")
        .contains("target: mmkit-busy-spin throughput at least agrona's");
    List<InterleavedReport.Row> rows = InterleavedReport.rows(results);
    InterleavedSession.Result floor = results.get(0);
    assertThat(floor.kind()).isEqualTo(TransportKind.FLOOR);
    for (int i = 0; i < rows.size(); i++) {
      assertThat(rows.get(i).p50VersusFloor())
          .as(rows.get(i).kind().label())
          .isEqualTo(results.get(i).micros(0.5) / floor.micros(0.5));
    }
    assertThat(rows.get(0).p50VersusFloor()).isEqualTo(1.0);
  }

  @Test
  void shouldTakeTheMedianOfEachRatioOverRuns() {
    TransportKind mmkit = TransportKind.MMKIT_BUSY_SPIN;
    List<List<InterleavedReport.Row>> runs =
        List.of(
            List.of(new InterleavedReport.Row(mmkit, 0.5, 1.1, 100, 0.9)),
            List.of(new InterleavedReport.Row(mmkit, 0.7, 1.5, 300, 1.2)),
            List.of(new InterleavedReport.Row(mmkit, 0.6, 1.2, 200, 1.0)));
    String report = InterleavedReport.medians(InterleavedSettings.parse(), runs);
    assertThat(report)
        .contains("median of 3 runs")
        .contains("0.600")
        .contains("1.20x")
        .contains("200")
        .contains("round-trip p50 at most 1.30x the floor's: 1.20x (median of 3 runs)")
        .contains("throughput at least agrona's: 1.00x (median of 3 runs)")
        .contains("1.10x 1.50x 1.20x");
  }

  @Test
  void shouldRejectUnknownOptionsAndTransports() {
    assertThatThrownBy(() -> InterleavedSettings.parse("--fastest", "yes"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("option=--fastest");
    assertThatThrownBy(() -> InterleavedSettings.parse("--transports", "uds,pigeon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("transport=pigeon");
    assertThatThrownBy(() -> InterleavedSettings.parse("--size", "8192"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("size=8192");
  }
}
