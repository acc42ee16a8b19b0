package dev.mmkit.cli.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Sizes;
import dev.mmkit.kv.Db;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * BackupCommand is {@code mmkit kv backup SRC DST}: writes a consistent copy of the newest commit
 * while other processes keep writing.
 */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    description = {
      "Write a consistent copy of SRC's newest commit to the new file DST (mode 0600), flushed",
      "to disk, while other processes keep reading and writing SRC."
    })
final class BackupCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "SRC", description = "Database to copy.")
  Path source;

  @Parameters(index = "1", paramLabel = "DST", description = "New file.")
  Path target;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    KvCommand.requireNew(spec, target);
    long start = System.nanoTime();
    long txid;
    try (Db database = KvCommand.openForReading(source)) {
      txid = database.backupTo(target);
    }
    long nanos = System.nanoTime() - start;
    long size = Files.size(target);
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.put("source", source.toString()).put("target", target.toString());
      n.put("txid", txid).put("size", size).put("nanos", nanos);
      out.println(new ObjectMapper().writeValueAsString(n));
    } else {
      out.printf(
          "backed up %s into %s (%s, commit %d) in %s%n",
          source, target, Sizes.bytes(size), txid, Sizes.nanos(nanos));
    }
    out.flush();
    return ExitCode.OK;
  }
}
