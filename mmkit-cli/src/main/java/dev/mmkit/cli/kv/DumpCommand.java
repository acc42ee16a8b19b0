package dev.mmkit.cli.kv;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.kv.Cursor;
import dev.mmkit.kv.Db;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * DumpCommand is {@code mmkit kv dump DB}: every entry of one bucket as KEY&lt;tab&gt;VALUE lines,
 * the format {@code load} reads, so that {@code dump | load} copies a bucket.
 */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description = {
      "Print every entry of a bucket as KEY<tab>VALUE lines, in key order; load reads them back.",
      "Nested buckets are not included: dump them with --bucket."
    })
final class DumpCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DB", description = "Database file.")
  Path db;

  @Mixin BucketOption bucket;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Db database = KvCommand.openForReading(db)) {
      database.view(
          tx -> {
            Cursor c = bucket.find(tx).cursor();
            StringBuilder line = new StringBuilder();
            for (boolean ok = c.first(); ok; ok = c.next()) {
              line.setLength(0);
              line.append(TsvFormat.escape(c.keyBytes()))
                  .append('\t')
                  .append(TsvFormat.escape(c.valueBytes()));
              out.println(line);
            }
          });
    }
    out.flush();
    return ExitCode.OK;
  }
}
