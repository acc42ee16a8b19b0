package dev.mmkit.cli.kv;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Usage;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.KeyRange;
import java.io.PrintWriter;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** ScanCommand is {@code mmkit kv scan DB}: prints a key range as tab-separated lines. */
@Command(
    name = "scan",
    mixinStandardHelpOptions = true,
    description = "Print entries in key order as KEY<tab>VALUE lines (escaped text).")
final class ScanCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DB", description = "Database file.")
  Path db;

  @Mixin BucketOption bucket;

  @Option(names = "--prefix", paramLabel = "P", description = "Only keys starting with P.")
  String prefix;

  @Option(names = "--from", paramLabel = "K", description = "Only keys at least K.")
  String from;

  @Option(names = "--to", paramLabel = "K", description = "Only keys less than K.")
  String to;

  @Option(names = "--reverse", description = "Descending key order.")
  boolean reverse;

  @Option(names = "--limit", paramLabel = "N", description = "At most N entries.")
  long limit = Long.MAX_VALUE;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (limit < 0) {
      throw Usage.wrong(spec, "--limit must not be negative: limit=" + limit);
    }
    PrintWriter out = spec.commandLine().getOut();
    KeyRange range = range();
    try (Db database = KvCommand.openForReading(db)) {
      database.view(
          tx -> {
            long[] printed = {0};
            if (limit == 0) {
              return;
            }
            bucket
                .find(tx)
                .scan(
                    range,
                    (k, v) -> {
                      out.print(TsvFormat.escape(k.toArray(ValueLayout.JAVA_BYTE)));
                      out.print('\t');
                      out.println(TsvFormat.escape(v.toArray(ValueLayout.JAVA_BYTE)));
                      return ++printed[0] < limit;
                    });
          });
    }
    out.flush();
    return ExitCode.OK;
  }

  private KeyRange range() {
    byte[] lower = from == null ? null : from.getBytes(StandardCharsets.UTF_8);
    byte[] upper = to == null ? null : to.getBytes(StandardCharsets.UTF_8);
    if (prefix != null) {
      KeyRange p = KeyRange.prefix(prefix.getBytes(StandardCharsets.UTF_8));
      lower = max(lower, p.lower());
      upper = min(upper, p.upper());
    }
    KeyRange range;
    if (lower != null && upper != null) {
      range = KeyRange.closedOpen(lower, upper);
    } else if (lower != null) {
      range = KeyRange.atLeast(lower);
    } else if (upper != null) {
      range = KeyRange.lessThan(upper);
    } else {
      range = KeyRange.all();
    }
    return reverse ? range.reversed() : range;
  }

  private static byte[] max(byte[] a, byte[] b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return Arrays.compareUnsigned(a, b) >= 0 ? a : b;
  }

  private static byte[] min(byte[] a, byte[] b) {
    if (a == null || b == null) {
      return a == null ? b : a;
    }
    return Arrays.compareUnsigned(a, b) <= 0 ? a : b;
  }
}
