package dev.mmkit.cli.cluster;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Main;
import dev.mmkit.cli.PeerJvm;
import dev.mmkit.cli.Usage;
import dev.mmkit.raft.ClusterAdmin;
import dev.mmkit.raft.ClusterException;
import dev.mmkit.raft.ClusterTimeoutException;
import dev.mmkit.raft.MemberConfig;
import dev.mmkit.raft.MemberStatus;
import dev.mmkit.raft.Peer;
import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * UpCommand is {@code mmkit cluster up}: starts the members of a cluster on this machine, each
 * {@code mmkit kv serve} in a JVM of its own and a session of its own (so that Ctrl-C here does not
 * stop them), waits until every member answers and one leads, prints their addresses and leaves
 * them running. Run again on the same directory after {@code cluster down}, it restarts the same
 * members on their data.
 */
@Command(
    name = "up",
    mixinStandardHelpOptions = true,
    description = {
      "Start a cluster of --nodes member processes on 127.0.0.1, wait until a leader is elected,",
      "print the members' addresses (the --cluster argument, also kept in DIR/addresses) and",
      "leave them running; 'mmkit cluster down --dir DIR' stops them. Each member's data and",
      "member.log are in DIR/ID."
    })
final class UpCommand implements Callable<Integer> {
  private static final Path SETSID = Path.of("/usr/bin/setsid");

  /**
   * What runs before the member's java: a shell that makes every file it creates owner-only (Ratis
   * creates its files with the process's umask) and then becomes it, and setsid, when present,
   * which gives it a session of its own. The process id stays the member's.
   */
  private static final List<String> LAUNCHER =
      Files.isExecutable(SETSID)
          ? List.of("/bin/sh", "-c", "umask 077 && exec \"$@\"", "sh", SETSID.toString())
          : List.of("/bin/sh", "-c", "umask 077 && exec \"$@\"", "sh");

  @Option(names = "--nodes", paramLabel = "N", description = "Members, 1 to 9 (default 3).")
  int nodes = 3;

  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Cluster directory.")
  Path dir;

  @Option(
      names = "--base-port",
      paramLabel = "P",
      description = "Members listen on ports P, P+1, ... (default: free ports).")
  Integer basePort;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Give up when no leader is elected after this long (default 60).")
  double timeoutSeconds = 60;

  @Option(
      names = "--append-interval",
      paramLabel = "MS",
      description = "Passed to each member's 'kv serve' (see 'mmkit kv serve --help').")
  Integer appendIntervalMillis;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    if (nodes < 1 || nodes > 9) {
      throw Usage.wrong(spec, "--nodes is 1 to 9: nodes=" + nodes);
    }
    if (appendIntervalMillis != null && (appendIntervalMillis < 0 || appendIntervalMillis > 37)) {
      throw Usage.wrong(
          spec, "--append-interval is 0 to 37 ms: appendInterval=" + appendIntervalMillis);
    }
    Duration timeout = ClusterArgs.timeout(spec, timeoutSeconds);
    LocalClusterDir cluster = new LocalClusterDir(dir);
    List<Peer> peers = members(cluster);
    for (Peer p : peers) {
      Optional<ProcessHandle> running = cluster.process(p.id());
      if (running.isPresent()) {
        throw Usage.wrong(
            spec,
            "a member of this cluster runs; stop it with 'mmkit cluster down': dir="
                + cluster.path()
                + ", id="
                + p.id()
                + ", pid="
                + running.get().pid());
      }
    }
    Map<String, Process> started = new LinkedHashMap<>();
    try {
      for (Peer p : peers) {
        started.put(p.id(), launch(cluster, p, peers, appendIntervalMillis));
      }
      String leader = awaitLeader(cluster, peers, started, timeout);
      print(cluster, peers, started, leader);
      return ExitCode.OK;
    } catch (IOException | RuntimeException | InterruptedException e) {
      stop(cluster, started);
      throw e;
    }
  }

  /** Returns the members recorded in the directory, or new ones, recorded there. */
  private List<Peer> members(LocalClusterDir cluster) throws IOException {
    Optional<List<Peer>> known = cluster.addresses();
    if (known.isPresent()) {
      if (known.get().size() != nodes || basePort != null) {
        throw Usage.wrong(
            spec,
            "the directory holds a cluster; start it again with its --nodes and no --base-port: dir="
                + cluster.path()
                + ", members="
                + known.get().size());
      }
      return known.get();
    }
    List<Peer> peers = new ArrayList<>();
    List<Integer> ports = ports();
    for (int i = 0; i < nodes; i++) {
      peers.add(new Peer("n" + (i + 1), "127.0.0.1", ports.get(i)));
    }
    cluster.createMemberDir(peers.getFirst().id());
    cluster.writeAddresses(peers);
    return peers;
  }

  /** Returns --base-port and the ports after it, or free ports the system picks. */
  private List<Integer> ports() throws IOException {
    List<Integer> ports = new ArrayList<>();
    if (basePort != null) {
      if (basePort < 1024 || basePort + nodes - 1 > 65535) {
        throw Usage.wrong(spec, "--base-port is 1024 to 65535 - nodes: basePort=" + basePort);
      }
      for (int i = 0; i < nodes; i++) {
        ports.add(basePort + i);
      }
      return ports;
    }
    List<ServerSocket> held = new ArrayList<>();
    try {
      for (int i = 0; i < nodes; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        held.add(s);
        ports.add(s.getLocalPort());
      }
    } finally {
      for (ServerSocket s : held) {
        s.close();
      }
    }
    return ports;
  }

  /**
   * Starts member {@code self} as {@code mmkit kv serve}, its output appended to its log, with
   * {@code --append-interval} when {@code appendIntervalMillis} is not null.
   */
  private static Process launch(
      LocalClusterDir cluster, Peer self, List<Peer> peers, Integer appendIntervalMillis)
      throws IOException {
    cluster.createMemberDir(self.id());
    List<String> args =
        new ArrayList<>(
            List.of(
                "kv",
                "serve",
                "--id",
                self.id(),
                "--peers",
                peers.stream().map(Peer::toString).collect(Collectors.joining(",")),
                "--dir",
                cluster.memberDir(self.id()).toString()));
    if (appendIntervalMillis != null) {
      args.addAll(List.of("--append-interval", appendIntervalMillis.toString()));
    }
    List<String> command =
        PeerJvm.command(
            LAUNCHER, List.of("--sun-misc-unsafe-memory-access=allow"), Main.class, args);
    Process process =
        new ProcessBuilder(command)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(cluster.createLog(self.id()).toFile()))
            .start();
    cluster.writePid(self.id(), process.pid());
    return process;
  }

  /**
   * Polls the members until every one answers and one leads, and returns the leader's id; fails
   * when a member exits or the timeout passes.
   */
  private static String awaitLeader(
      LocalClusterDir cluster, List<Peer> peers, Map<String, Process> started, Duration timeout)
      throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    try (ClusterAdmin admin =
        ClusterAdmin.connect(peers, MemberConfig.DEFAULT_CLUSTER, Duration.ofSeconds(1))) {
      while (true) {
        for (Map.Entry<String, Process> e : started.entrySet()) {
          if (!e.getValue().isAlive()) {
            throw new ClusterException(
                "member exited while starting: id="
                    + e.getKey()
                    + ", exit="
                    + e.getValue().exitValue()
                    + ", log="
                    + cluster.log(e.getKey())
                    + lastLine(cluster.log(e.getKey())));
          }
        }
        List<MemberStatus> status = admin.status();
        Optional<MemberStatus> leader =
            status.stream().filter(s -> "LEADER".equals(s.role())).findFirst();
        if (leader.isPresent() && status.stream().allMatch(MemberStatus::reachable)) {
          return leader.get().peer().id();
        }
        if (System.nanoTime() > deadline) {
          throw new ClusterTimeoutException(
              "no leader elected: timeout="
                  + timeout
                  + ", logs="
                  + cluster.path()
                  + "/*/member.log",
              null);
        }
        Thread.sleep(100);
      }
    }
  }

  private static String lastLine(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log);
    return lines.isEmpty() ? "" : ": " + lines.getLast();
  }

  /** Stops the members started, after a failure. */
  private static void stop(LocalClusterDir cluster, Map<String, Process> started)
      throws IOException {
    for (Map.Entry<String, Process> e : started.entrySet()) {
      e.getValue().destroyForcibly();
      cluster.deletePid(e.getKey());
    }
  }

  private void print(
      LocalClusterDir cluster, List<Peer> peers, Map<String, Process> started, String leader) {
    PrintWriter out = spec.commandLine().getOut();
    for (Peer p : peers) {
      out.printf(
          "%-4s %-21s pid %-8d %s%n",
          p.id(), p.address(), started.get(p.id()).pid(), cluster.log(p.id()));
    }
    out.println("leader " + leader);
    out.println("--cluster " + peers.stream().map(Peer::toString).collect(Collectors.joining(",")));
    out.flush();
  }
}
