package dev.mmkit.cli;

import dev.mmkit.cli.tour.AnonymousMappingStep;
import dev.mmkit.cli.tour.IpcStep;
import dev.mmkit.cli.tour.KvStep;
import dev.mmkit.cli.tour.LazyFileStep;
import dev.mmkit.cli.tour.SharedCounterStep;
import dev.mmkit.cli.tour.TourContext;
import dev.mmkit.cli.tour.TourStep;
import dev.mmkit.cli.tour.TruncationStep;
import dev.mmkit.core.Platform;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
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

  static List<TourStep> steps() {
    return List.of(
        new AnonymousMappingStep(),
        new LazyFileStep(),
        new SharedCounterStep(),
        new TruncationStep(),
        new IpcStep(),
        new KvStep());
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    List<TourStep> steps = steps();
    Path directory = Files.createTempDirectory("mmkit-tour-");
    long start = System.nanoTime();
    try {
      out.printf("mmkit tour: %d steps in %s%n", steps.size(), directory);
      out.printf(
          "  page size %d bytes; native features: %s%n",
          Platform.pageSize(),
          Platform.liveFeatures().isEmpty()
              ? "none (" + Platform.nativeAccessProblem() + ")"
              : Platform.liveFeatures());
      for (int i = 0; i < steps.size(); i++) {
        TourStep step = steps.get(i);
        out.printf("%n[%d/%d] %s%n", i + 1, steps.size(), step.title());
        out.flush();
        Path stepDirectory = Files.createDirectory(directory.resolve("step" + (i + 1)));
        step.run(new TourContext(stepDirectory, out));
      }
      out.printf("%ntour finished in %s%n", Sizes.nanos(System.nanoTime() - start));
      return ExitCode.OK;
    } finally {
      deleteRecursively(directory);
    }
  }

  private static void deleteRecursively(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
