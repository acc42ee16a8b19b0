package dev.mmkit.cli.kv;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.KeyRange;
import java.io.PrintWriter;
import java.util.List;
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
      "With --recursive (a DB file only), the bucket and every bucket nested in it, with their",
      "sequences:",
      "  B<tab>PATH<tab>SEQUENCE            a bucket (PATH below the one dumped, a/b, '' for it)",
      "  E<tab>PATH<tab>KEY<tab>VALUE        an entry of that bucket",
      "and load --recursive reads that back."
    })
final class DumpCommand implements Callable<Integer> {
  @Parameters(
      arity = "0..1",
      paramLabel = "[DB]",
      hideParamSyntax = true,
      description = "Database file (left out with --cluster).")
  List<String> args;

  @Mixin BucketOption bucket;

  @Mixin Target target;

  @Mixin ReadModeOption readMode;

  @Option(
      names = "--recursive",
      description = "Dump nested buckets too, in the B/E line format above.")
  boolean recursive;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    target.refuseWithCluster(recursive, "--recursive");
    Target.Operands operands = target.operands(args);
    PrintWriter out = spec.commandLine().getOut();
    if (recursive) {
      try (Db database = KvCommand.openForReading(operands.db())) {
        database.view(tx -> TreeDump.write(bucket.find(tx), out));
      }
    } else {
      try (KvStore store = target.openForReading(operands, readMode)) {
        StringBuilder line = new StringBuilder();
        store.scan(
            bucket,
            KeyRange.all(),
            Long.MAX_VALUE,
            (k, v) -> {
              line.setLength(0);
              line.append(TsvFormat.escape(k)).append('\t').append(TsvFormat.escape(v));
              out.println(line);
            });
      }
    }
    out.flush();
    return ExitCode.OK;
  }
}
