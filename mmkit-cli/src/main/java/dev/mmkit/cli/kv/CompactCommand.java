package dev.mmkit.cli.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Sizes;
import dev.mmkit.cli.Usage;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.DbOptions;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** CompactCommand is {@code mmkit kv compact SRC DST}: writes a dense copy of a database. */
@Command(
    name = "compact",
    mixinStandardHelpOptions = true,
    description = {
      "Write a dense copy of SRC to the new file DST: full pages, no free space, the same",
      "page size as SRC unless --page-size says otherwise."
    })
final class CompactCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SRC", description = "Database to copy.")
  Path source;

  @Parameters(index = "1", paramLabel = "DST", description = "New database file.")
  Path target;

  @Option(
      names = "--page-size",
      paramLabel = "BYTES",
      description = "Page size of the copy: 4096, 8192, 16384 or 32768 (default: SRC's).")
  Integer pageSize;

  @Option(names = "--json", description = "Print one JSON object with both sizes.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    KvCommand.requireNew(spec, target);
    if (pageSize != null) {
      try {
        DbOptions.defaults().pageSize(pageSize);
      } catch (IllegalArgumentException e) {
        throw Usage.wrong(spec, e.getMessage());
      }
    }
    long start = System.nanoTime();
    try (Db database = KvCommand.openForReading(source)) {
      if (pageSize == null) {
        database.compactTo(target);
      } else {
        database.compactTo(target, pageSize);
      }
    }
    long nanos = System.nanoTime() - start;
    long before = Files.size(source);
    long after = Files.size(target);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.put("source", source.toString()).put("sourceSize", before);
      n.put("target", target.toString()).put("targetSize", after).put("nanos", nanos);
      out.println(new ObjectMapper().writeValueAsString(n));
    } else {
      out.printf(
          "compacted %s (%s) into %s (%s) in %s%n",
          source, Sizes.bytes(before), target, Sizes.bytes(after), Sizes.nanos(nanos));
    }
    out.flush();
    return ExitCode.OK;
  }
}
