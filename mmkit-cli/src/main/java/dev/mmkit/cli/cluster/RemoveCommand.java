package dev.mmkit.cli.cluster;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.raft.ClusterAdmin;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * RemoveCommand is {@code mmkit cluster remove}: removes a member from the cluster's configuration;
 * the member may then be stopped.
 */
@Command(
    name = "remove",
    mixinStandardHelpOptions = true,
    description = "Remove a member from the cluster; stop its process afterwards.")
final class RemoveCommand implements Callable<Integer> {
  @Mixin ClusterOption cluster;

  @Option(names = "--id", required = true, paramLabel = "ID", description = "The member's id.")
  String id;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try (ClusterAdmin admin = cluster.admin()) {
      admin.remove(id);
    }
    PrintWriter out = spec.commandLine().getOut();
    out.println("removed " + id);
    out.flush();
    return ExitCode.OK;
  }
}
