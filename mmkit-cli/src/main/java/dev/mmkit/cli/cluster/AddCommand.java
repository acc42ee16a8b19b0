package dev.mmkit.cli.cluster;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Usage;
import dev.mmkit.raft.ClusterAdmin;
import dev.mmkit.raft.Peer;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * AddCommand is {@code mmkit cluster add}: adds a running member (started with {@code mmkit kv
 * serve --join}) to the cluster, returning once it has caught up and the new configuration is
 * committed.
 */
@Command(
    name = "add",
    mixinStandardHelpOptions = true,
    description = {
      "Add a member to the cluster. Start it first with 'mmkit kv serve --join'; the leader sends",
      "it the latest snapshot and the log, and the change is committed once it has caught up."
    })
final class AddCommand implements Callable<Integer> {
  @Mixin ClusterOption cluster;

  @Option(names = "--id", required = true, paramLabel = "ID", description = "The new member's id.")
  String id;

  @Option(
      names = "--address",
      required = true,
      paramLabel = "HOST:PORT",
      description = "Where the new member serves.")
  String address;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Peer peer;
    try {
      peer = Peer.parse(id + "=" + address);
    } catch (IllegalArgumentException e) {
      throw Usage.wrong(spec, e.getMessage());
    }
    try (ClusterAdmin admin = cluster.admin()) {
      admin.add(peer);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("added " + peer);
    out.flush();
    return ExitCode.OK;
  }
}
