package dev.mmkit.cli.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmkit.cli.ExitCode;
import dev.mmkit.raft.ClusterAdmin;
import dev.mmkit.raft.ClusterException;
import dev.mmkit.raft.MemberStatus;
import dev.mmkit.raft.Peer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * StatusCommand is {@code mmkit cluster status}: each member's role, term, commit and applied index
 * and how far it lags the leader's commit index. The members are those of the cluster's
 * configuration as the leader has it, whatever {@code --cluster} names; addresses it names that are
 * not members (removed ones) are listed apart. Exits 4 when no member answers.
 */
@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Print each member's role, term, commit and applied index, lag (the leader's commit",
      "index minus the member's applied index) and latest snapshot; exit 4 when none answers.",
      "The members are the cluster's as its leader has them (one added is listed, one removed",
      "is not, whatever --cluster names); --cluster only says where to ask."
    })
final class StatusCommand implements Callable<Integer> {
  @Mixin ClusterOption cluster;

  @Option(
      names = "--json",
      description = "Print one JSON object: leader, term, commit, members (id, address, ...).")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<MemberStatus> members;
    try (ClusterAdmin admin = cluster.admin()) {
      members = admin.status();
    }
    if (members.stream().noneMatch(MemberStatus::reachable)) {
      throw new ClusterException(
          "no member answered: cluster="
              + cluster.addresses
              + ", timeout="
              + cluster.timeoutSeconds
              + "s");
    }
    ObjectNode report = report(members);
    ArrayNode others = report.putArray("notMembers");
    for (Peer p : cluster.peers()) {
      if (members.stream().noneMatch(m -> m.peer().id().equals(p.id()))) {
        others.add(p.toString());
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(report));
    } else {
      print(report, out);
    }
    out.flush();
    return ExitCode.OK;
  }

  /** Returns the status as JSON: the leader (null when none), its term and commit, the members. */
  private static ObjectNode report(List<MemberStatus> members) {
    MemberStatus leader =
        members.stream().filter(m -> "LEADER".equals(m.role())).findFirst().orElse(null);
    long commit =
        leader != null
            ? leader.committed()
            : members.stream().mapToLong(MemberStatus::committed).max().orElse(0);
    ObjectNode report = new ObjectMapper().createObjectNode();
    report.put("leader", leader == null ? null : leader.peer().id());
    report.put("term", leader == null ? 0 : leader.term());
    report.put("commit", commit);
    ArrayNode list = report.putArray("members");
    for (MemberStatus m : members) {
      ObjectNode node =
          list.addObject()
              .put("id", m.peer().id())
              .put("address", m.peer().address())
              .put("reachable", m.reachable());
      if (m.reachable()) {
        node.put("role", m.role())
            .put("term", m.term())
            .put("commit", m.committed())
            .put("applied", m.applied())
            .put("lag", Math.max(0, commit - m.applied()))
            .put("snapshot", m.snapshot());
      }
    }
    return report;
  }

  private static void print(ObjectNode report, PrintWriter out) {
    String row = "%-8s %-22s %-10s %6s %10s %10s %8s %10s%n";
    out.printf(
        Locale.ROOT, row, "ID", "ADDRESS", "ROLE", "TERM", "COMMIT", "APPLIED", "LAG", "SNAPSHOT");
    for (var m : report.get("members")) {
      if (!m.get("reachable").asBoolean()) {
        out.printf(
            Locale.ROOT,
            row,
            m.get("id").asText(),
            m.get("address").asText(),
            "unreachable",
            "-",
            "-",
            "-",
            "-",
            "-");
        continue;
      }
      long snapshot = m.get("snapshot").asLong();
      out.printf(
          Locale.ROOT,
          row,
          m.get("id").asText(),
          m.get("address").asText(),
          m.get("role").asText(),
          m.get("term").asLong(),
          m.get("commit").asLong(),
          m.get("applied").asLong(),
          m.get("lag").asLong(),
          snapshot < 0 ? "-" : Long.toString(snapshot));
    }
    if (!report.get("notMembers").isEmpty()) {
      List<String> others = new ArrayList<>();
      report.get("notMembers").forEach(n -> others.add(n.asText()));
      out.println("not members of the cluster: " + String.join(",", others));
    }
    out.println(
        report.get("leader").isNull()
            ? "no leader: an election is under way, or a majority is unreachable"
            : "leader " + report.get("leader").asText() + ", term " + report.get("term").asLong());
  }
}
