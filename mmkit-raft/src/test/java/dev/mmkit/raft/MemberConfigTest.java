package dev.mmkit.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.raft.internal.RaftSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.junit.jupiter.api.Test;

/** MemberConfigTest checks the append interval's range and that it reaches Ratis. */
class MemberConfigTest {
  private static final MemberConfig CONFIG =
      MemberConfig.of("n1", Peer.parseList("n1=127.0.0.1:7001"), Path.of("/tmp/unused"));

  @Test
  void shouldPassTheAppendIntervalToRatis() {
    assertThat(CONFIG.appendInterval()).isEqualTo(MemberConfig.DEFAULT_APPEND_INTERVAL);
    MemberConfig slow = CONFIG.withAppendInterval(Duration.ofMillis(3));
    assertThat(
            RaftServerConfigKeys.Log.Appender.waitTimeMin(RaftSettings.server(slow))
                .toLong(TimeUnit.MICROSECONDS))
        .isEqualTo(3000);
    assertThat(
            RaftServerConfigKeys.Log.Appender.waitTimeMin(RaftSettings.server(CONFIG))
                .toLong(TimeUnit.MICROSECONDS))
        .isEqualTo(1000);
  }

  @Test
  void shouldRefuseAnAppendIntervalThatWouldDelayHeartbeats() {
    assertThatThrownBy(() -> CONFIG.withAppendInterval(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> CONFIG.withAppendInterval(Duration.ofMillis(38)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("max=PT0.037S");
    assertThat(CONFIG.withAppendInterval(Duration.ZERO).appendInterval()).isZero();
  }
}
