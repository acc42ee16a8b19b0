package dev.mmkit.cli.kv;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Usage;
import dev.mmkit.kv.KeyRange;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
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
  @Parameters(
      arity = "0..1",
      paramLabel = "[DB]",
      hideParamSyntax = true,
      description = "Database file (left out with --cluster).")
  List<String> args;

  @Mixin BucketOption bucket;

  @Mixin Target target;

  @Mixin ReadModeOption readMode;

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
    Target.Operands operands = target.operands(args);
    PrintWriter out = spec.commandLine().getOut();
    KeyRange range = range();
    try (KvStore store = target.openForReading(operands, readMode)) {
      store.scan(
          bucket,
          range,
          limit,
          (k, v) -> {
            out.print(TsvFormat.escape(k));
            out.print('\t');
            out.println(TsvFormat.escape(v));
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
