package dev.mmkit.cli.kv;

import dev.mmkit.cli.Usage;
import dev.mmkit.cli.cluster.ClusterArgs;
import dev.mmkit.raft.KvClient;
import dev.mmkit.raft.Peer;
import dev.mmkit.raft.ReadMode;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Target is where a data verb reads and writes: the database file named by its first argument, or,
 * with {@code --cluster ID=HOST:PORT,...}, the members of a replicated store (then the file is left
 * out). A cluster that does not answer, a majority of it down for instance, fails the verb after
 * {@code --timeout} seconds with exit code 4.
 */
public final class Target {
  @Option(
      names = "--cluster",
      paramLabel = "ADDRS",
      description = "Use the replicated store at ID=HOST:PORT,... instead of a DB file.")
  String cluster;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "With --cluster: give up on a request after this long (default 10).")
  double timeoutSeconds = 10;

  @Spec(Spec.Target.MIXEE)
  CommandSpec spec;

  /**
   * Operands is a verb's positional arguments split into the database file (null with {@code
   * --cluster}) and the rest.
   *
   * @param db the database file, or null for a cluster
   * @param rest the arguments after it
   */
  record Operands(Path db, List<String> rest) {}

  /**
   * Splits {@code args} into the database file and the {@code labels.length} arguments after it,
   * failing with a usage error when their number is wrong.
   */
  Operands operands(List<String> given, String... labels) {
    List<String> args = given == null ? List.of() : given;
    boolean local = cluster == null;
    if (args.size() != labels.length + (local ? 1 : 0)) {
      String names = String.join(" ", labels);
      throw Usage.wrong(
          spec,
          ("want DB " + names).strip()
              + (", or --cluster ADDRS " + names).stripTrailing()
              + ": arguments="
              + args.size());
    }
    return local
        ? new Operands(Path.of(args.getFirst()), args.subList(1, args.size()))
        : new Operands(null, args);
  }

  /** Opens the target for reading: the database read-only, or the cluster read as mode says. */
  KvStore openForReading(Operands operands, ReadModeOption mode) {
    if (operands.db() != null) {
      return LocalStore.forReading(operands.db());
    }
    List<Peer> peers = peers();
    return new ClusterStore(client(peers), mode.resolve(spec, peers));
  }

  /** Opens the target for writing: the database (created when missing), or the cluster. */
  KvStore openForWriting(Operands operands) {
    if (operands.db() != null) {
      return LocalStore.forWriting(operands.db());
    }
    return new ClusterStore(client(peers()), ReadMode.linearizable());
  }

  /** Fails with a usage error when the verb works on a cluster and {@code option} was given. */
  void refuseWithCluster(boolean given, String option) {
    if (given && cluster != null) {
      throw Usage.wrong(spec, option + " works on a DB file only, not with --cluster");
    }
  }

  private List<Peer> peers() {
    return ClusterArgs.peers(spec, cluster);
  }

  private KvClient client(List<Peer> peers) {
    return KvClient.builder(peers).timeout(ClusterArgs.timeout(spec, timeoutSeconds)).build();
  }
}
