package dev.mmkit.cli.kv;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.NotFoundException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** GetCommand is {@code mmkit kv get DB KEY}: prints a value, exit 1 when the key is absent. */
@Command(
    name = "get",
    mixinStandardHelpOptions = true,
    description = "Print the value stored under KEY (escaped text); exit 1 when there is none.")
final class GetCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..2",
      paramLabel = "[DB] KEY",
      hideParamSyntax = true,
      description = "Database file (left out with --cluster) and key (UTF-8 text).")
  List<String> args;

  @Mixin BucketOption bucket;

  @Mixin Target target;

  @Mixin ReadModeOption readMode;

  @Option(names = "--raw", description = "Write the value's bytes exactly, without a newline.")
  boolean raw;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Target.Operands operands = target.operands(args, "KEY");
    String key = operands.rest().getFirst();
    byte[] value;
    try (KvStore store = target.openForReading(operands, readMode)) {
      value = store.get(bucket, key.getBytes(StandardCharsets.UTF_8));
    }
    if (value == null) {
      throw new NotFoundException(
          "key not found: key=" + KeyText.shortened(key) + ", bucket=" + bucket.describe());
    }
    if (raw) {
      PrintStream out = System.out;
      out.write(value, 0, value.length);
      out.flush();
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.println(TsvFormat.escape(value));
      out.flush();
    }
    return ExitCode.OK;
  }
}
