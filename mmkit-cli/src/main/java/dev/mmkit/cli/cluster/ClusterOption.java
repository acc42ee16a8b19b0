package dev.mmkit.cli.cluster;

import dev.mmkit.raft.ClusterAdmin;
import dev.mmkit.raft.MemberConfig;
import dev.mmkit.raft.Peer;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * ClusterOption is the {@code --cluster ADDRS} and {@code --timeout} options of the verbs that
 * inspect or change a running cluster.
 */
public final class ClusterOption {
  @Option(
      names = "--cluster",
      required = true,
      paramLabel = "ADDRS",
      description = "Members of the cluster: ID=HOST:PORT,...")
  String addresses;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Give up on the cluster after this long (default 10).")
  double timeoutSeconds = 10;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /** Returns the members listed. */
  List<Peer> peers() {
    return ClusterArgs.peers(spec, addresses);
  }

  /** Connects an admin client to the members listed. */
  ClusterAdmin admin() {
    return ClusterAdmin.connect(
        peers(), MemberConfig.DEFAULT_CLUSTER, ClusterArgs.timeout(spec, timeoutSeconds));
  }
}
