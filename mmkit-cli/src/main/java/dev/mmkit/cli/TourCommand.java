package dev.mmkit.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** TourCommand walks through what memory mapping can do, measuring each step. */
@Command(
    name = "tour",
    mixinStandardHelpOptions = true,
    description =
        "A guided run through memory mapping, on a temporary directory, in under a minute.")
final class TourCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    return ExitCode.OK;
  }
}
