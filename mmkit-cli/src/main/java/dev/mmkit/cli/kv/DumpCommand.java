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
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * DumpCommand is {@code mmkit kv dump DB}: every entry of one bucket as KEY&lt;tab&gt;VALUE lines,
 * or with {@code --recursive} the bucket and every bucket nested in it ({@link TreeDump}), the
 * formats {@code load} reads, so that {@code dump | load} copies them.
 */
@Command(
    name = "dump",
    mixinStandardHelpOptions = true,
    description = {
      "Print every entry of a bucket as KEY<tab>VALUE lines, in key order; load reads them back.",
      "With --recursive, the bucket and every bucket nested in it, with their sequences:",
      "  B<tab>PATH<tab>SEQUENCE            a bucket (PATH below the one dumped, a/b, '' for it)",
      "  E<tab>PATH<tab>KEY<tab>VALUE        an entry of that bucket",
      "and load --recursive reads that back."
    })
final class DumpCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DB", description = "Database file.")
  Path db;

  @Mixin BucketOption bucket;

  @Option(
      names = "--recursive",
      description = "Dump nested buckets too, in the B/E line format above.")
  boolean recursive;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    try (Db database = KvCommand.openForReading(db)) {
      database.view(
          tx -> {
            if (recursive) {
              TreeDump.write(bucket.find(tx), out);
              return;
            }
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
