package dev.mmkit.cli.cluster;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.NotFoundException;
import dev.mmkit.raft.Peer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * DownCommand is {@code mmkit cluster down}: stops the members {@code cluster up} started in a
 * directory with SIGTERM, which closes each cleanly, and with SIGKILL those still running after the
 * timeout. Their data stays; {@code cluster up} on the directory starts them again.
 */
@Command(
    name = "down",
    mixinStandardHelpOptions = true,
    description = {
      "Stop the members 'mmkit cluster up' started in DIR (SIGTERM; SIGKILL after --timeout).",
      "Their data stays in DIR; 'mmkit cluster up --dir DIR' starts them again."
    })
final class DownCommand implements Callable<Integer> {
  @Option(names = "--dir", required = true, paramLabel = "DIR", description = "Cluster directory.")
  Path dir;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "Kill members still running after this long (default 30).")
  double timeoutSeconds = 30;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Duration timeout = ClusterArgs.timeout(spec, timeoutSeconds);
    LocalClusterDir cluster = new LocalClusterDir(dir);
    List<Peer> peers =
        cluster
            .addresses()
            .orElseThrow(
                () -> new NotFoundException("no cluster in the directory: dir=" + cluster.path()));
    PrintWriter out = spec.commandLine().getOut();
    Map<String, ProcessHandle> stopping = new LinkedHashMap<>();
    for (Peer p : peers) {
      Optional<ProcessHandle> process = cluster.process(p.id());
      if (process.isPresent()) {
        process.get().destroy();
        stopping.put(p.id(), process.get());
      } else {
        out.println(p.id() + " was not running");
      }
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Map.Entry<String, ProcessHandle> e : stopping.entrySet()) {
      ProcessHandle process = e.getValue();
      String how = "stopped";
      try {
        process.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      } catch (TimeoutException | ExecutionException late) {
        process.destroyForcibly();
        process.onExit().join();
        how = "killed (still running after " + timeout.toSeconds() + " s)";
      }
      out.println(e.getKey() + " " + how + ", pid " + process.pid());
    }
    for (Peer p : peers) {
      cluster.deletePid(p.id());
    }
    out.flush();
    return ExitCode.OK;
  }
}
