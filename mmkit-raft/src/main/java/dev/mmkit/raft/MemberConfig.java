package dev.mmkit.raft;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * MemberConfig is what a {@link Member} needs to run: its id, every member of the cluster, the
 * directory it keeps its data in, and tuning with defaults. Instances are immutable; each {@code
 * with...} method returns a changed copy.
 *
 * <p>The directory holds the member's database ({@code kv.db}) and Raft's log and snapshots ({@code
 * raft/}). It belongs to one member of one cluster: a member refuses a directory whose data belongs
 * to another cluster.
 */
public final class MemberConfig {
  /** The cluster name used when none is given. */
  public static final String DEFAULT_CLUSTER = "mmkit";

  /** The largest request accepted by default: 1 MiB. */
  public static final int DEFAULT_REQUEST_LIMIT = 1 << 20;

  /** The least time between two batches the leader sends one follower by default: 1 ms. */
  public static final Duration DEFAULT_APPEND_INTERVAL = Duration.ofMillis(1);

  private final String id;
  private final List<Peer> peers;
  private final Path dir;
  private final String cluster;
  private final Tuning tuning;

  /** Tuning holds the settings that have defaults. */
  private record Tuning(
      long snapshotThreshold,
      int requestLimit,
      long logSegmentBytes,
      Duration electionTimeout,
      Duration appendInterval,
      boolean joining) {}

  private MemberConfig(String id, List<Peer> peers, Path dir, String cluster, Tuning tuning) {
    this.id = id;
    this.peers = List.copyOf(peers);
    this.dir = dir;
    this.cluster = cluster;
    this.tuning = tuning;
  }

  /**
   * Returns the configuration of member {@code id} of the cluster {@code peers}, keeping its data
   * in {@code dir}, with the defaults for everything else.
   *
   * @throws IllegalArgumentException when {@code id} is not one of {@code peers}
   */
  public static MemberConfig of(String id, List<Peer> peers, Path dir) {
    if (peers.stream().noneMatch(p -> p.id().equals(id))) {
      throw new IllegalArgumentException(
          "member is not among the peers: id=" + id + ", peers=" + peers);
    }
    return new MemberConfig(
        id,
        peers,
        Objects.requireNonNull(dir, "dir"),
        DEFAULT_CLUSTER,
        new Tuning(
            100_000,
            DEFAULT_REQUEST_LIMIT,
            8L << 20,
            Duration.ofMillis(150),
            DEFAULT_APPEND_INTERVAL,
            false));
  }

  private MemberConfig with(Tuning t) {
    return new MemberConfig(id, peers, dir, cluster, t);
  }

  /**
   * Returns a copy for the cluster named {@code name}: members and clients of one cluster must use
   * the same name, from which its Raft group id is derived.
   */
  public MemberConfig withCluster(String name) {
    return new MemberConfig(id, peers, dir, Objects.requireNonNull(name, "name"), tuning);
  }

  /**
   * Returns a copy that takes a snapshot each time {@code entries} entries were applied since the
   * last one (default 100,000), after which the log before the snapshot is deleted.
   */
  public MemberConfig withSnapshotThreshold(long entries) {
    if (entries < 1) {
      throw new IllegalArgumentException("snapshot threshold must be positive: entries=" + entries);
    }
    Tuning t = tuning;
    return with(
        new Tuning(
            entries,
            t.requestLimit,
            t.logSegmentBytes,
            t.electionTimeout,
            t.appendInterval,
            t.joining));
  }

  /**
   * Returns a copy that refuses requests larger than {@code bytes} (default 1 MiB, at most 3 MiB).
   */
  public MemberConfig withRequestLimit(int bytes) {
    if (bytes < 1024 || bytes > 3 << 20) {
      throw new IllegalArgumentException(
          "request limit out of range: bytes=" + bytes + ", min=1024, max=" + (3 << 20));
    }
    Tuning t = tuning;
    return with(
        new Tuning(
            t.snapshotThreshold,
            bytes,
            t.logSegmentBytes,
            t.electionTimeout,
            t.appendInterval,
            t.joining));
  }

  /**
   * Returns a copy whose log files hold at most {@code bytes} each (default 8 MiB, at least twice
   * the request limit). The log is deleted a whole file at a time, so small files let a snapshot
   * free the log sooner.
   */
  public MemberConfig withLogSegmentBytes(long bytes) {
    if (bytes < 2L * tuning.requestLimit) {
      throw new IllegalArgumentException(
          "log segment smaller than two requests: bytes="
              + bytes
              + ", requestLimit="
              + tuning.requestLimit);
    }
    Tuning t = tuning;
    return with(
        new Tuning(
            t.snapshotThreshold,
            t.requestLimit,
            bytes,
            t.electionTimeout,
            t.appendInterval,
            t.joining));
  }

  /**
   * Returns a copy whose followers start an election after hearing nothing from a leader for a
   * random time between {@code min} and twice {@code min} (default 150 ms).
   */
  public MemberConfig withElectionTimeout(Duration min) {
    Tuning t = tuning;
    return with(
        new Tuning(
            t.snapshotThreshold,
            t.requestLimit,
            t.logSegmentBytes,
            min,
            t.appendInterval,
            t.joining));
  }

  /**
   * Returns a copy whose leader, once it has sent a follower a batch of log entries, waits at least
   * {@code interval} before it sends that follower the next (default 1 ms, Ratis's); the entries
   * appended meanwhile go together. A longer interval makes fewer, larger batches: less processor
   * time and fewer log flushes per write when many writes are in flight, and that much more latency
   * for writes that come one at a time, each of which waits out the interval.
   *
   * <p>Three members on the loopback of one 2-core machine, 3 ms in place of 1 ms halved the writes
   * per second of one synchronous client and raised those with 64 in flight by about half.
   *
   * @throws IllegalArgumentException when negative, or more than 50 ms or a quarter of the election
   *     timeout (heartbeats wait the interval too)
   */
  public MemberConfig withAppendInterval(Duration interval) {
    Duration max = Duration.ofMillis(Math.min(50, tuning.electionTimeout.toMillis() / 4));
    if (interval.isNegative() || interval.compareTo(max) > 0) {
      throw new IllegalArgumentException(
          "append interval out of range: interval=" + interval + ", max=" + max);
    }
    Tuning t = tuning;
    return with(
        new Tuning(
            t.snapshotThreshold,
            t.requestLimit,
            t.logSegmentBytes,
            t.electionTimeout,
            interval,
            t.joining));
  }

  /**
   * Returns a copy for a member that joins a running cluster: it starts knowing no members, so it
   * never campaigns, and waits for the leader to add it ({@link ClusterAdmin#add}). A new member
   * started with a member list that holds itself campaigns at once, and the others, whose
   * configuration lacks it, tell it to shut down. Later restarts read the configuration from the
   * member's log, so this matters only for the first start.
   */
  public MemberConfig joining() {
    Tuning t = tuning;
    return with(
        new Tuning(
            t.snapshotThreshold,
            t.requestLimit,
            t.logSegmentBytes,
            t.electionTimeout,
            t.appendInterval,
            true));
  }

  /** Returns whether the member starts by waiting to be added to a running cluster. */
  public boolean isJoining() {
    return tuning.joining;
  }

  /** Returns this member's id. */
  public String id() {
    return id;
  }

  /** Returns every member of the cluster, this one included. */
  public List<Peer> peers() {
    return peers;
  }

  /** Returns this member's entry among the peers. */
  public Peer self() {
    return peers.stream().filter(p -> p.id().equals(id)).findFirst().orElseThrow();
  }

  /** Returns the member's data directory. */
  public Path dir() {
    return dir;
  }

  /** Returns the cluster name. */
  public String cluster() {
    return cluster;
  }

  /** Returns the number of entries between snapshots. */
  public long snapshotThreshold() {
    return tuning.snapshotThreshold;
  }

  /** Returns the largest request accepted, in bytes. */
  public int requestLimit() {
    return tuning.requestLimit;
  }

  /** Returns the largest log file, in bytes. */
  public long logSegmentBytes() {
    return tuning.logSegmentBytes;
  }

  /** Returns the shortest election timeout. */
  public Duration electionTimeout() {
    return tuning.electionTimeout;
  }

  /** Returns the least time between two batches the leader sends one follower. */
  public Duration appendInterval() {
    return tuning.appendInterval;
  }

  @Override
  public String toString() {
    return "MemberConfig[id="
        + id
        + ", cluster="
        + cluster
        + ", dir="
        + dir
        + ", peers="
        + peers
        + ", snapshotThreshold="
        + tuning.snapshotThreshold
        + ", requestLimit="
        + tuning.requestLimit
        + "]";
  }
}
