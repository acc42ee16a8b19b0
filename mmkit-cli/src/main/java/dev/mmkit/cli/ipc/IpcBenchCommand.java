package dev.mmkit.cli.ipc;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Progress;
import dev.mmkit.cli.Usage;
import dev.mmkit.harness.ipc.IpcBench;
import dev.mmkit.harness.ipc.IpcBenchReport;
import dev.mmkit.harness.ipc.IpcBenchResult;
import dev.mmkit.harness.ipc.TransportKind;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * IpcBenchCommand measures, in one run, two processes talking over every transport this class path
 * has ({@link TransportKind}): mmkit channels (busy-spin and blocking), references without a ring,
 * a Unix domain socket and TCP loopback. It prints round-trip percentiles, throughput of 32-byte
 * and 4 KiB messages, and the CPU an idle receiver burns while it waits; the measuring is {@link
 * IpcBench}'s.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Compare mmkit channels between two processes with the floor (an 8-byte counter bounced",
      "through /dev/shm), a mailbox, a Unix domain socket and TCP loopback: round-trip latency",
      "percentiles, also as multiples of the floor's, throughput, and the CPU of an idle receiver."
    })
final class IpcBenchCommand implements Callable<Integer> {
  @Option(names = "--json", description = "Print one JSON object per transport, one per line.")
  boolean json;

  @Option(names = "--round-trips", defaultValue = "50000", description = "Measured round trips.")
  int roundTrips;

  @Option(
      names = "--warmup",
      defaultValue = "200000",
      description = "Round trips not measured (at most 3 s of them).")
  int warmup;

  @Option(names = "--small-messages", defaultValue = "500000", description = "32-byte messages.")
  long smallMessages;

  @Option(names = "--large-messages", defaultValue = "50000", description = "4 KiB messages.")
  long largeMessages;

  @Option(names = "--idle-seconds", defaultValue = "5", description = "Idle receiver period.")
  int idleSeconds;

  @Option(
      names = "--peer-cpus",
      description =
          "Run the second process pinned to these CPUs with taskset (e.g. 1); pin this one by"
              + " starting it under taskset too.")
  String peerCpus;

  @Option(
      names = "--transport",
      split = ",",
      description = "Transports to run (default: all): ${COMPLETION-CANDIDATES}",
      completionCandidates = Transports.class)
  List<String> transports;

  @Spec CommandSpec spec;

  /** Transports lists the transports this class path has, for help. */
  static final class Transports extends ArrayList<String> {
    private static final long serialVersionUID = 1L;

    Transports() {
      super(TransportKind.availableKinds().stream().map(TransportKind::label).toList());
    }
  }

  private TransportKind available(String name) {
    try {
      return TransportKind.named(name).requireAvailable();
    } catch (IllegalArgumentException e) {
      throw Usage.wrong(spec, e.getMessage());
    }
  }

  @Override
  public Integer call() throws Exception {
    List<TransportKind> kinds =
        transports == null
            ? TransportKind.availableKinds()
            : transports.stream().map(this::available).toList();
    IpcBench bench =
        new IpcBench(
            new IpcBench.Settings(
                roundTrips,
                warmup,
                smallMessages,
                largeMessages,
                Duration.ofSeconds(idleSeconds),
                peerCpus != null ? List.of("taskset", "-c", peerCpus) : List.of()));
    List<IpcBenchResult> results = new ArrayList<>();
    for (TransportKind kind : kinds) {
      if (Progress.onTerminal() && !json) {
        System.err.printf("mmkit: measuring %s...%n", kind.label());
      }
      results.add(bench.measure(kind));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      for (IpcBenchResult result : results) {
        out.println(IpcBenchReport.jsonLine(result, results, bench.settings()));
      }
    } else {
      out.print(IpcBenchReport.table(results, bench.settings()));
    }
    out.flush();
    return ExitCode.OK;
  }
}
