package dev.mmkit.cli.kv;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.NotFoundException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** DelCommand is {@code mmkit kv del DB KEY}: deletes a key, exit 1 when it was absent. */
@Command(
    name = "del",
    mixinStandardHelpOptions = true,
    description = "Delete KEY; exit 1 when there was none.")
final class DelCommand implements Callable<Integer> {
  @Parameters(
      arity = "1..2",
      paramLabel = "[DB] KEY",
      hideParamSyntax = true,
      description = "Database file (left out with --cluster) and key (UTF-8 text).")
  List<String> args;

  @Mixin BucketOption bucket;

  @Mixin Target target;

  @Override
  public Integer call() {
    Target.Operands operands = target.operands(args, "KEY");
    String key = operands.rest().getFirst();
    boolean deleted;
    try (KvStore store = target.openForWriting(operands)) {
      deleted = store.delete(bucket, key.getBytes(StandardCharsets.UTF_8));
    }
    if (!deleted) {
      throw new NotFoundException(
          "key not found: key=" + KeyText.shortened(key) + ", bucket=" + bucket.describe());
    }
    return ExitCode.OK;
  }
}
