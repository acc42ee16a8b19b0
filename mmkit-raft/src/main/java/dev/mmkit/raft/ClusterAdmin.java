package dev.mmkit.raft;

import dev.mmkit.raft.internal.RaftSettings;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.proto.RaftProtos.LogInfoProto;
import org.apache.ratis.protocol.GroupInfoReply;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * ClusterAdmin changes and inspects a running cluster: it adds and removes members (a Raft
 * configuration change, made through the leader and committed by a majority of the old and the new
 * members) and reports each member's role and progress.
 *
 * <p>To add a member, start it first with the new member list (its own entry included) and an empty
 * directory, then call {@link #add}: the leader brings it up to date by sending the latest snapshot
 * and the log after it, and the change completes once it has caught up. To remove one, call {@link
 * #remove}, then stop it.
 */
public final class ClusterAdmin implements AutoCloseable {
  private final List<Peer> known;
  private final RaftGroupId group;
  private final RaftClient client;

  private ClusterAdmin(List<Peer> known, String cluster, Duration timeout) {
    this.known = List.copyOf(known);
    this.group = RaftGroupId.valueOf(RaftSettings.groupId(cluster));
    Duration attempt =
        timeout.compareTo(Duration.ofSeconds(3)) < 0 ? timeout : Duration.ofSeconds(3);
    this.client =
        RaftClient.newBuilder()
            .setProperties(RaftSettings.client(attempt))
            .setRaftGroup(RaftSettings.group(cluster, known))
            .setRetryPolicy(RaftSettings.retryPolicy(timeout))
            .build();
  }

  /** Connects to the cluster {@code cluster} through the members {@code known}. */
  public static ClusterAdmin connect(List<Peer> known, String cluster, Duration timeout) {
    return new ClusterAdmin(known, cluster, timeout);
  }

  /** Returns the members of the cluster's current configuration, as the leader has it. */
  public List<Peer> members() {
    Answer leader = leader(askKnown());
    if (leader == null) {
      throw new ClusterException("no leader among the members: members=" + known);
    }
    return leader.info().getGroup().getPeers().stream().map(ClusterAdmin::peer).toList();
  }

  /**
   * Adds {@code peer} to the cluster and returns once the configuration with it is committed, which
   * waits for the new member to catch up.
   *
   * @throws ClusterException when the change is refused (a change already under way, no leader)
   */
  public void add(Peer peer) {
    List<Peer> next = new ArrayList<>(members());
    if (next.stream().anyMatch(p -> p.id().equals(peer.id()))) {
      throw new ClusterException("member already in the cluster: id=" + peer.id());
    }
    next.add(peer);
    change(next);
  }

  /**
   * Removes the member {@code id} from the cluster; returns once the configuration without it is
   * committed. The removed member may then be stopped.
   */
  public void remove(String id) {
    List<Peer> next = new ArrayList<>(members());
    if (!next.removeIf(p -> p.id().equals(id))) {
      throw new ClusterException("no such member: id=" + id);
    }
    change(next);
  }

  private void change(List<Peer> peers) {
    try {
      RaftClientReply reply =
          client.admin().setConfiguration(peers.stream().map(RaftSettings::peer).toList());
      if (!reply.isSuccess()) {
        throw new ClusterException("configuration change refused: " + reply.getException());
      }
    } catch (IOException e) {
      throw new ClusterException("configuration change failed: peers=" + peers + ", cause=" + e, e);
    }
  }

  /**
   * Returns the status of every member of the cluster's current configuration, as the leader has
   * it, in its order: members added since this admin client was made are asked too, and members
   * removed are left out even when this client names them. Members that do not answer are marked
   * unreachable. When no leader answers, returns the status of the members this client knows.
   */
  public List<MemberStatus> status() {
    List<Answer> answers = askKnown();
    Answer leader = leader(answers);
    if (leader == null) {
      return answers.stream().map(Answer::status).toList();
    }
    List<MemberStatus> out = new ArrayList<>();
    for (RaftPeer member : leader.info().getGroup().getPeers()) {
      Peer p = peer(member);
      Answer answer =
          answers.stream()
              .filter(a -> a.status().peer().id().equals(p.id()))
              .findFirst()
              .orElse(null);
      if (answer == null) {
        client.getClientRpc().addRaftPeers(List.of(member));
        answer = ask(p);
      }
      out.add(answer.status());
    }
    return out;
  }

  /**
   * Answer is what one member said about itself.
   *
   * @param status its status
   * @param info its group information, or null when it did not answer
   */
  private record Answer(MemberStatus status, GroupInfoReply info) {}

  private List<Answer> askKnown() {
    List<Answer> answers = new ArrayList<>();
    for (Peer p : known) {
      answers.add(ask(p));
    }
    return answers;
  }

  /** Returns the answer of the leader of the highest term, or null when no leader answered. */
  private static Answer leader(List<Answer> answers) {
    return answers.stream()
        .filter(a -> "LEADER".equals(a.status().role()))
        .max(Comparator.comparingLong(a -> a.status().term()))
        .orElse(null);
  }

  private Answer ask(Peer p) {
    try {
      GroupInfoReply info = info(p);
      LogInfoProto log = info.getLogInfoProto();
      return new Answer(
          new MemberStatus(
              p,
              true,
              info.getRoleInfoProto().getRole().name(),
              log.getCommitted().getTerm(),
              log.getCommitted().getIndex(),
              log.getApplied().getIndex(),
              log.hasLastSnapshot() ? log.getLastSnapshot().getIndex() : -1),
          info);
    } catch (IOException | RuntimeException e) {
      // gRPC failures come unchecked
      return new Answer(new MemberStatus(p, false, "", 0, 0, 0, -1), null);
    }
  }

  private GroupInfoReply info(Peer p) throws IOException {
    return client.getGroupManagementApi(RaftPeerId.valueOf(p.id())).info(group);
  }

  private static Peer peer(RaftPeer p) {
    return Peer.parse(p.getId() + "=" + p.getAddress());
  }

  @Override
  public void close() {
    try {
      client.close();
    } catch (IOException e) {
      throw new ClusterException("admin client did not close cleanly", e);
    }
  }
}
