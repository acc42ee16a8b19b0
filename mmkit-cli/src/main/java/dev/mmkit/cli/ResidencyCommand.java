package dev.mmkit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.Platform;
import dev.mmkit.core.Residency;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * ResidencyCommand shows, like vmtouch, how much of each file is in the page cache and where, and
 * can load ({@code --touch}) or drop ({@code --evict}) it first.
 */
@Command(
    name = "residency",
    mixinStandardHelpOptions = true,
    description = {
      "Show how much of each file is resident in memory (page cache) and where.",
      "Picture: O all pages resident, o at least half, . some, blank none."
    })
final class ResidencyCommand implements Callable<Integer> {
  private static final int PICTURE_WIDTH = 40;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Files to inspect.")
  List<Path> files;

  @ArgGroup(exclusive = true)
  Action action;

  @Option(names = "--json", description = "Print one JSON object per file, one per line.")
  boolean json;

  @Spec CommandSpec spec;

  /** Action is what to do to the pages before reporting. */
  static final class Action {
    @Option(names = "--touch", description = "Load every page into memory first.")
    boolean touch;

    @Option(names = "--evict", description = "Drop every page from memory first.")
    boolean evict;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    for (Path file : files) {
      if (!Files.isRegularFile(file)) {
        throw new NoSuchFileException(file.toString());
      }
      ObjectNode report = inspect(file, mapper);
      out.println(json ? mapper.writeValueAsString(report) : line(report));
    }
    out.flush();
    return ExitCode.OK;
  }

  private ObjectNode inspect(Path path, ObjectMapper mapper) {
    ObjectNode report = mapper.createObjectNode();
    report.put("file", path.toString());
    report.put("pageSize", Platform.pageSize());
    try (MappedFile file = MappedFile.open(path, MapMode.READ_ONLY)) {
      long size = file.size();
      report.put("size", size);
      if (size == 0) {
        report.put("pages", 0).put("resident", 0).put("percent", 0.0).put("picture", "");
        return report;
      }
      try (Mapping mapping = file.map()) {
        if (action != null && action.touch) {
          mapping.touch(0, size);
        } else if (action != null && action.evict) {
          mapping.evict(0, size);
        }
        Residency residency = mapping.residency();
        report.put("pages", residency.pages());
        report.put("resident", residency.residentPages());
        report.put("percent", Math.round(residency.fraction() * 1000) / 10.0);
        report.put("picture", residency.picture(PICTURE_WIDTH));
      }
    }
    return report;
  }

  private static String line(ObjectNode report) {
    long resident = report.get("resident").asLong();
    return String.format(
        "%s  size=%s  pages=%d  resident=%s  [%s]",
        report.get("file").asText(),
        Sizes.bytes(report.get("size").asLong()),
        report.get("pages").asLong(),
        resident < 0 ? "unknown" : resident + " (" + report.get("percent").asDouble() + "%)",
        report.get("picture").asText());
  }
}
