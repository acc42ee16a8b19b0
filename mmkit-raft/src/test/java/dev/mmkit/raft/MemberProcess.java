package dev.mmkit.raft;

import java.nio.file.Path;
import java.time.Duration;

/**
 * MemberProcess runs one {@link Member} in a child JVM for the cluster tests. Arguments: {@code ID
 * PEERS DIR CLUSTER SNAPSHOT_THRESHOLD REQUEST_LIMIT LOG_SEGMENT_BYTES [join]}. Prints {@code ready
 * ID} once the member serves, or {@code refused MESSAGE} and exits with 3 when it refuses to start.
 * SIGTERM closes the member; SIGKILL is a crash.
 */
public final class MemberProcess {
  private MemberProcess() {}

  /** Starts the member and serves until the process is stopped. */
  public static void main(String[] args) throws InterruptedException {
    MemberConfig config =
        MemberConfig.of(args[0], Peer.parseList(args[1]), Path.of(args[2]))
            .withCluster(args[3])
            .withSnapshotThreshold(Long.parseLong(args[4]))
            .withRequestLimit(Integer.parseInt(args[5]))
            .withLogSegmentBytes(Long.parseLong(args[6]))
            .withElectionTimeout(Duration.ofMillis(150));
    if (args.length > 7 && args[7].equals("join")) {
      config = config.joining();
    }
    Member member;
    try {
      member = Member.start(config);
    } catch (ClusterException e) {
      System.out.println("refused " + e.getMessage());
      System.out.flush();
      System.exit(3);
      return;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(member::close));
    System.out.println("ready " + args[0]);
    System.out.flush();
    Thread.currentThread().join();
  }
}
