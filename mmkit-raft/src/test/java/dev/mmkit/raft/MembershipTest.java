package dev.mmkit.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.raft.internal.RaftSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * MembershipTest changes who holds the data while clients write: a member whose directory was wiped
 * rejoins and catches up by snapshot install (the leader's log no longer reaches back to the
 * start), and a fourth member is added and another removed at runtime.
 */
class MembershipTest {
  @TempDir Path dir;

  @Test
  void shouldCatchUpAWipedMemberBySnapshotInstall() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 50);
        WriteLoad load = WriteLoad.start(cluster, 2, 2000)) {
      load.awaitProgress(20, Duration.ofSeconds(60));
      String leader = cluster.awaitLeader();
      String wiped =
          cluster.ids().stream().filter(id -> !id.equals(leader)).findFirst().orElseThrow();
      cluster.kill(wiped);
      deleteTree(cluster.dir(wiped));

      Path log =
          cluster
              .dir(leader)
              .resolve("raft")
              .resolve(RaftSettings.groupId(cluster.cluster()).toString())
              .resolve("current");
      LocalCluster.await(
          "the leader to purge the start of its log",
          Duration.ofSeconds(120),
          () -> {
            try {
              load.awaitProgress(10, Duration.ofSeconds(60));
              return !holdsLogStart(log);
            } catch (InterruptedException e) {
              throw new IllegalStateException(e);
            }
          });
      cluster.restart(wiped);
      load.awaitProgress(40, Duration.ofSeconds(60));
      Map<String, String> acknowledged = load.stop();

      ClusterAudit.audit(cluster, cluster.ids(), acknowledged);
      Path installed =
          cluster
              .dir(wiped)
              .resolve("raft")
              .resolve(RaftSettings.groupId(cluster.cluster()).toString())
              .resolve("sm");
      try (Stream<Path> files = Files.list(installed)) {
        assertThat(files.map(p -> p.getFileName().toString()))
            .anyMatch(n -> n.matches("snapshot\\.\\d+_\\d+"));
      }
    }
  }

  @Test
  void shouldAddAFourthMemberAndRemoveOneWhileWritesGoOn() throws Exception {
    try (LocalCluster cluster = LocalCluster.start(dir, 3, 100);
        WriteLoad load = WriteLoad.start(cluster, 2, 100)) {
      load.awaitProgress(150, Duration.ofSeconds(60));
      Peer fourth = cluster.reserve("n4");
      cluster.launchJoining("n4");
      cluster.awaitReady("n4");
      String leader = cluster.awaitLeader();
      String removed =
          cluster.ids().stream()
              .filter(id -> !id.equals(leader) && !id.equals("n4"))
              .findFirst()
              .orElseThrow();
      try (ClusterAdmin admin = cluster.admin(Duration.ofSeconds(30))) {
        admin.add(fourth);
        load.awaitProgress(30, Duration.ofSeconds(60));
        admin.remove(removed);
        cluster.stop(removed);
        cluster.forget(removed);
        load.awaitProgress(30, Duration.ofSeconds(60));
        assertThat(admin.members())
            .extracting(Peer::id)
            .containsExactlyInAnyOrderElementsOf(cluster.ids());
      }
      Map<String, String> acknowledged = load.stop();
      ClusterAudit.audit(cluster, cluster.ids(), acknowledged);
    }
  }

  private static boolean holdsLogStart(Path log) {
    try (Stream<Path> files = Files.list(log)) {
      return files
          .map(p -> p.getFileName().toString())
          .anyMatch(n -> n.startsWith("log_0-") || n.equals("log_inprogress_0"));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path root) throws IOException {
    try (Stream<Path> paths = Files.walk(root)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
