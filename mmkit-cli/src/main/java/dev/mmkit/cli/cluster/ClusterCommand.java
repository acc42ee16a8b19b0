package dev.mmkit.cli.cluster;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * ClusterCommand is {@code mmkit cluster}: starts and stops a local cluster of member processes,
 * and inspects and changes the membership of a running one.
 */
@Command(
    name = "cluster",
    mixinStandardHelpOptions = true,
    description = {
      "Run, inspect and change a replicated mmkit-kv store (Raft, see docs/CLUSTER.md).",
      "The kv verbs put, get, del, scan, load and dump take --cluster ADDRS in place of a file."
    },
    subcommands = {
      UpCommand.class,
      DownCommand.class,
      StatusCommand.class,
      AddCommand.class,
      RemoveCommand.class,
      CommandLine.HelpCommand.class
    })
public final class ClusterCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
