package dev.mmkit.cli.bench;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * BenchCommand groups the benchmarks a user can run with the {@code mmkit} command itself. The
 * side-by-side comparisons with other libraries live in the {@code mmkit-bench} module (JMH).
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = {
      "Measure memory mapping against plain reads on this machine.",
      "Pin to one CPU for steadier mapped figures on small VMs: taskset -c 0 ./mmkit bench io"
    },
    subcommands = {IoBenchCommand.class})
public final class BenchCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
