package dev.mmkit.raft;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.core.testing.ChildJvm;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * LocalCluster runs the members of a test cluster as separate JVMs on loopback, each with its own
 * directory under a test's temporary directory, and lets a test crash (SIGKILL), freeze (SIGSTOP),
 * resume, stop and restart them.
 */
final class LocalCluster implements AutoCloseable {
  static final List<String> JVM_OPTIONS =
      List.of("--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow");

  private final Path root;
  private final String cluster;
  private final long snapshotThreshold;
  private final int requestLimit;
  private final Map<String, Peer> peers = new LinkedHashMap<>();
  private final Map<String, ChildJvm> running = new LinkedHashMap<>();
  private final List<ChildJvm> all = new ArrayList<>();

  private LocalCluster(Path root, String cluster, long snapshotThreshold, int requestLimit) {
    this.root = root;
    this.cluster = cluster;
    this.snapshotThreshold = snapshotThreshold;
    this.requestLimit = requestLimit;
  }

  /** Starts {@code n} members n1..nN and waits until each serves. */
  static LocalCluster start(Path root, int n, long snapshotThreshold) throws InterruptedException {
    LocalCluster c = new LocalCluster(root, "test", snapshotThreshold, 64 * 1024);
    for (int i = 1; i <= n; i++) {
      c.reserve("n" + i);
    }
    for (String id : c.peers.keySet()) {
      c.launch(id, c.peerList());
    }
    for (String id : c.peers.keySet()) {
      c.awaitReady(id);
    }
    return c;
  }

  /** Picks a free loopback port for a new member {@code id} of this cluster (not started). */
  Peer reserve(String id) {
    Peer p = freePeer(id);
    peers.put(id, p);
    return p;
  }

  /** Picks a free loopback port for a member {@code id} outside this cluster's member list. */
  static Peer freePeer(String id) {
    try (ServerSocket s = new ServerSocket(0)) {
      return new Peer(id, "127.0.0.1", s.getLocalPort());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  String cluster() {
    return cluster;
  }

  int requestLimit() {
    return requestLimit;
  }

  List<Peer> peerList() {
    return List.copyOf(peers.values());
  }

  String addresses() {
    return peers.values().stream().map(Peer::toString).collect(Collectors.joining(","));
  }

  Path dir(String id) {
    return root.resolve(id);
  }

  List<String> ids() {
    return List.copyOf(peers.keySet());
  }

  List<String> runningIds() {
    return List.copyOf(running.keySet());
  }

  /** Starts member {@code id} with the member list {@code members} and returns its process. */
  ChildJvm launch(String id, List<Peer> members) {
    return launch(id, members, cluster);
  }

  /** Starts a new member {@code id} that waits for the leader to add it. */
  ChildJvm launchJoining(String id) {
    return start(id, peerList(), cluster, "join");
  }

  /** Starts member {@code id} as a member of the cluster named {@code clusterName}. */
  ChildJvm launch(String id, List<Peer> members, String clusterName) {
    return start(id, members, clusterName, "");
  }

  private ChildJvm start(String id, List<Peer> members, String clusterName, String join) {
    ChildJvm jvm =
        ChildJvm.start(
            JVM_OPTIONS,
            MemberProcess.class,
            id,
            members.stream().map(Peer::toString).collect(Collectors.joining(",")),
            dir(id).toString(),
            clusterName,
            Long.toString(snapshotThreshold),
            Integer.toString(requestLimit),
            Long.toString(Math.max(2L * requestLimit, 256 * 1024)),
            join);
    all.add(jvm);
    running.put(id, jvm);
    return jvm;
  }

  void awaitReady(String id) throws InterruptedException {
    running.get(id).awaitLine("ready", Duration.ofSeconds(60));
  }

  /** Restarts a member that was killed or stopped, with the full member list. */
  void restart(String id) throws InterruptedException {
    launch(id, peerList());
    awaitReady(id);
  }

  /** Crashes member {@code id} with SIGKILL. */
  void kill(String id) throws InterruptedException {
    running.remove(id).kill();
  }

  /** Forgets member {@code id}, which is no longer part of the cluster. */
  void forget(String id) {
    peers.remove(id);
  }

  /** Stops member {@code id} with SIGTERM, which closes it, and waits for its exit. */
  void stop(String id) throws InterruptedException {
    ChildJvm jvm = running.remove(id);
    ProcessHandle.of(jvm.pid()).ifPresent(ProcessHandle::destroy);
    jvm.awaitExit(Duration.ofSeconds(30));
  }

  /** Stops every running member. */
  void stopAll() throws InterruptedException {
    for (String id : runningIds()) {
      stop(id);
    }
  }

  /** Freezes member {@code id} with SIGSTOP. */
  void freeze(String id) throws IOException, InterruptedException {
    signal("-STOP", id);
  }

  /** Resumes a frozen member with SIGCONT. */
  void resume(String id) throws IOException, InterruptedException {
    signal("-CONT", id);
  }

  private void signal(String signal, String id) throws IOException, InterruptedException {
    Process kill = new ProcessBuilder("kill", signal, Long.toString(running.get(id).pid())).start();
    assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(kill.exitValue()).isZero();
  }

  /** Returns a client of this cluster with a {@code timeout}. */
  KvClient client(Duration timeout) {
    return KvClient.builder(peerList())
        .cluster(cluster)
        .timeout(timeout)
        .requestLimit(requestLimit)
        .build();
  }

  /** Returns an admin client of this cluster whose requests give up after {@code timeout}. */
  ClusterAdmin admin(Duration timeout) {
    return ClusterAdmin.connect(peerList(), cluster, timeout);
  }

  /** Returns the id of the current leader, waiting up to 30 s for one to be elected. */
  String awaitLeader() throws InterruptedException {
    try (ClusterAdmin admin =
        ClusterAdmin.connect(runningPeers(), cluster, Duration.ofSeconds(2))) {
      String[] leader = new String[1];
      await(
          "a leader",
          Duration.ofSeconds(30),
          () -> {
            for (MemberStatus s : admin.status()) {
              if ("LEADER".equals(s.role())) {
                leader[0] = s.peer().id();
                return true;
              }
            }
            return false;
          });
      return leader[0];
    }
  }

  private List<Peer> runningPeers() {
    return running.keySet().stream().map(peers::get).toList();
  }

  /** Returns the standard error of every member process started so far. */
  String errors() {
    return all.stream().map(ChildJvm::errors).collect(Collectors.joining());
  }

  /** Polls {@code condition} until it holds, failing after {@code timeout}. */
  static void await(String what, Duration timeout, BooleanSupplier condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what + " after " + timeout);
      }
      Thread.sleep(20);
    }
  }

  @Override
  public void close() {
    all.forEach(ChildJvm::close);
  }
}
