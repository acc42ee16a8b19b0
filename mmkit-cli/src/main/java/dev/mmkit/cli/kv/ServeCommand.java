package dev.mmkit.cli.kv;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Usage;
import dev.mmkit.cli.cluster.ClusterArgs;
import dev.mmkit.raft.Member;
import dev.mmkit.raft.MemberConfig;
import dev.mmkit.raft.Peer;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * ServeCommand is {@code mmkit kv serve}: runs one member of a replicated store in the foreground
 * until SIGTERM or Ctrl-C, which close it (its Raft log is flushed on every commit, so SIGKILL
 * loses nothing acknowledged either).
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run one member of a replicated store (Raft) in the foreground until SIGTERM or Ctrl-C.",
      "Its database, Raft log and snapshots live under --dir (owner-only). Start one per",
      "member, each with its own --id and --dir and the same --peers; clients use --peers as",
      "--cluster. See docs/CLUSTER.md."
    })
final class ServeCommand implements Callable<Integer> {
  @Option(names = "--id", required = true, paramLabel = "ID", description = "This member's id.")
  String id;

  @Option(
      names = "--peers",
      required = true,
      paramLabel = "ID=HOST:PORT,...",
      description = "Every member of the cluster, this one included.")
  String peers;

  @Option(
      names = "--dir",
      required = true,
      paramLabel = "DIR",
      description = "Directory of this member's data (created when missing).")
  Path dir;

  @Option(
      names = "--append-interval",
      paramLabel = "MS",
      description =
          "Least time between two batches of log entries the leader sends a follower, 0 to 50"
              + " (default 1): longer makes larger batches, for more writes/s with many in flight and"
              + " more latency for writes made one at a time.")
  Integer appendIntervalMillis;

  @Option(
      names = "--join",
      description = "Start empty and wait for 'mmkit cluster add' to add it to a running cluster.")
  boolean join;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    List<Peer> members = ClusterArgs.peers(spec, peers);
    MemberConfig config;
    try {
      config = MemberConfig.of(id, members, dir);
      if (appendIntervalMillis != null) {
        config = config.withAppendInterval(Duration.ofMillis(appendIntervalMillis));
      }
    } catch (IllegalArgumentException e) {
      throw Usage.wrong(spec, e.getMessage());
    }
    Member member = Member.start(join ? config.joining() : config);
    PrintWriter out = spec.commandLine().getOut();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  member.close();
                  out.println("mmkit kv serve: stopped id=" + id);
                  out.flush();
                }));
    out.println(
        "mmkit kv serve: id="
            + id
            + ", address="
            + config.self().address()
            + ", dir="
            + dir.toAbsolutePath()
            + ", peers="
            + members.stream().map(Peer::toString).collect(Collectors.joining(","))
            + (appendIntervalMillis != null
                ? ", append-interval=" + appendIntervalMillis + "ms"
                : "")
            + (join ? ", joining" : ""));
    out.flush();
    Thread.currentThread().join();
    return ExitCode.OK;
  }
}
