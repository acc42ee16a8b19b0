package dev.mmkit.raft.internal;

import dev.mmkit.raft.MemberConfig;
import dev.mmkit.raft.Peer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.grpc.GrpcConfigKeys;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.ExponentialBackoffRetry;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.util.SizeInBytes;
import org.apache.ratis.util.TimeDuration;

/**
 * RaftSettings turns this module's configuration into Ratis's: the group a cluster name stands for,
 * a member's server properties and a client's properties and retry policy.
 */
public final class RaftSettings {
  private RaftSettings() {}

  /** Returns the Raft group id of the cluster {@code name}: a UUID derived from the name. */
  public static UUID groupId(String name) {
    return UUID.nameUUIDFromBytes(("mmkit-raft:" + name).getBytes(StandardCharsets.UTF_8));
  }

  /** Returns the Raft group of the cluster {@code name} with members {@code peers}. */
  public static RaftGroup group(String name, List<Peer> peers) {
    return RaftGroup.valueOf(
        RaftGroupId.valueOf(groupId(name)), peers.stream().map(RaftSettings::peer).toList());
  }

  /** Returns the Ratis form of {@code peer}. */
  public static RaftPeer peer(Peer peer) {
    return RaftPeer.newBuilder().setId(peer.id()).setAddress(peer.address()).build();
  }

  /**
   * Returns the server properties of a member: gRPC on its address, linearizable reads through
   * ReadIndex, automatic snapshots and log purging, and the default log write buffer (Ratis refuses
   * to start with one smaller than its 4 MiB append buffer plus 8 bytes).
   *
   * <p>No commit-index entries in the log ({@code raft.server.log.log-metadata.enabled}). By
   * default a Ratis leader appends an entry recording the new commit index after each commit, so a
   * member that restarts can apply up to it before it hears from a leader; that entry is written,
   * flushed and replicated like a write, which doubles the log entries and flushes of writes that
   * come one at a time. Without it a restarted member applies the committed entries once the leader
   * tells it the commit index (its first heartbeat). Nothing acknowledged depends on it: a write is
   * acknowledged only once it is on a majority's flushed log, and an elected leader holds every
   * such entry.
   */
  public static RaftProperties server(MemberConfig config) {
    RaftProperties p = new RaftProperties();
    Peer self = config.self();
    GrpcConfigKeys.Server.setHost(p, self.host());
    GrpcConfigKeys.Server.setPort(p, self.port());
    RaftServerConfigKeys.setStorageDir(p, List.of(config.dir().resolve("raft").toFile()));

    RaftServerConfigKeys.Read.setOption(p, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
    RaftServerConfigKeys.Read.setTimeout(p, TimeDuration.valueOf(10, TimeUnit.SECONDS));

    long min = config.electionTimeout().toMillis();
    RaftServerConfigKeys.Rpc.setTimeoutMin(p, TimeDuration.valueOf(min, TimeUnit.MILLISECONDS));
    RaftServerConfigKeys.Rpc.setTimeoutMax(p, TimeDuration.valueOf(2 * min, TimeUnit.MILLISECONDS));

    RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(p, true);
    RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(p, config.snapshotThreshold());
    RaftServerConfigKeys.Snapshot.setRetentionFileNum(p, 2);
    RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(p, true);
    RaftServerConfigKeys.Log.setPurgeGap(p, (int) Math.min(1024, config.snapshotThreshold()));
    SizeInBytes segment = SizeInBytes.valueOf(config.logSegmentBytes());
    RaftServerConfigKeys.Log.setSegmentSizeMax(p, segment);
    RaftServerConfigKeys.Log.setPreallocatedSize(
        p, SizeInBytes.valueOf(Math.min(config.logSegmentBytes(), 4L << 20)));
    RaftServerConfigKeys.Log.setLogMetadataEnabled(p, false);
    RaftServerConfigKeys.Log.Appender.setWaitTimeMin(
        p, TimeDuration.valueOf(config.appendInterval().toNanos() / 1000, TimeUnit.MICROSECONDS));
    return p;
  }

  /** Returns a client's properties: each attempt waits at most {@code attempt}. */
  public static RaftProperties client(Duration attempt) {
    RaftProperties p = new RaftProperties();
    org.apache.ratis.client.RaftClientConfigKeys.Rpc.setRequestTimeout(
        p, TimeDuration.valueOf(attempt.toMillis(), TimeUnit.MILLISECONDS));
    return p;
  }

  /**
   * Returns a client's retry policy: exponential backoff from 50 ms to 1 s between attempts (never
   * a busy loop while no leader is elected), and no attempt once a request is older than {@code
   * timeout}.
   */
  public static RetryPolicy retryPolicy(Duration timeout) {
    RetryPolicy backoff =
        ExponentialBackoffRetry.newBuilder()
            .setBaseSleepTime(TimeDuration.valueOf(50, TimeUnit.MILLISECONDS))
            .setMaxSleepTime(TimeDuration.valueOf(1, TimeUnit.SECONDS))
            .setMaxAttempts(Integer.MAX_VALUE)
            .build();
    TimeDuration limit = TimeDuration.valueOf(timeout.toMillis(), TimeUnit.MILLISECONDS);
    RequestTypeDependentRetryPolicy.Builder b = RequestTypeDependentRetryPolicy.newBuilder();
    for (RaftClientRequestProto.TypeCase type :
        List.of(
            RaftClientRequestProto.TypeCase.WRITE,
            RaftClientRequestProto.TypeCase.READ,
            RaftClientRequestProto.TypeCase.STALEREAD,
            RaftClientRequestProto.TypeCase.WATCH)) {
      b.setRetryPolicy(type, backoff).setTimeout(type, limit);
    }
    return b.build();
  }
}
