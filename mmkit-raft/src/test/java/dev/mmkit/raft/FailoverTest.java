package dev.mmkit.raft;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FailoverTest writes from several clients while members fail: the leader killed with SIGKILL at
 * random moments, or a member frozen with SIGSTOP past the election timeout and resumed. Afterwards
 * every acknowledged write is on every member, the members' databases are identical and sound, and
 * no write was applied twice.
 */
class FailoverTest {
  @TempDir Path dir;

  @Test
  void shouldKeepEveryAcknowledgedWriteWhileTheLeaderIsKilled() throws Exception {
    killLeaderRepeatedly(2, 11);
  }

  @Test
  @Tag("soak")
  void shouldKeepEveryAcknowledgedWriteThroughAHundredLeaderKills() throws Exception {
    killLeaderRepeatedly(100, 12);
  }

  private void killLeaderRepeatedly(int cycles, long seed) throws Exception {
    Random random = new Random(seed);
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 500);
        WriteLoad load = WriteLoad.start(cluster, 3, 100)) {
      for (int cycle = 0; cycle < cycles; cycle++) {
        load.awaitProgress(10 + random.nextInt(60), Duration.ofSeconds(60));
        String leader = cluster.awaitLeader();
        cluster.kill(leader);
        load.awaitProgress(20, Duration.ofSeconds(60)); // a new leader took over
        cluster.restart(leader);
      }
      load.awaitProgress(20, Duration.ofSeconds(60));
      Map<String, String> acknowledged = load.stop();
      assertThat(acknowledged).hasSizeGreaterThan(50 * cycles / 2);
      ClusterAudit.audit(cluster, cluster.ids(), acknowledged);
    }
  }

  @Test
  void shouldLoseNothingWhenTheLeaderIsFrozenPastTheElectionTimeout() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 100_000);
        WriteLoad load = WriteLoad.start(cluster, 2, 100)) {
      load.awaitProgress(30, Duration.ofSeconds(60));
      String frozen = cluster.awaitLeader();
      cluster.freeze(frozen);
      try (ClusterAdmin admin = cluster.admin(Duration.ofSeconds(1))) {
        LocalCluster.await(
            "a new leader while " + frozen + " is frozen",
            Duration.ofSeconds(30),
            () ->
                admin.status().stream()
                    .anyMatch(
                        s ->
                            s.reachable()
                                && "LEADER".equals(s.role())
                                && !s.peer().id().equals(frozen)));
      }
      load.awaitProgress(50, Duration.ofSeconds(60));
      cluster.resume(frozen);
      load.awaitProgress(50, Duration.ofSeconds(60));
      Map<String, String> acknowledged = load.stop();
      ClusterAudit.audit(cluster, cluster.ids(), acknowledged);
    }
  }
}
