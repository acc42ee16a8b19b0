package dev.mmkit.cli.kv;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Usage;
import dev.mmkit.kv.Bucket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * PutCommand is {@code mmkit kv put DB KEY VALUE}: one durable commit (or one replicated write)
 * storing one value.
 */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = "Store VALUE under KEY (creating the database and the bucket when missing).")
final class PutCommand implements Callable<Integer> {
  @Parameters(
      arity = "2..3",
      paramLabel = "[DB] KEY VALUE",
      hideParamSyntax = true,
      description = {"Database file (left out with --cluster), key and value (UTF-8 text)."})
  List<String> args;

  @Mixin BucketOption bucket;

  @Mixin Target target;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    Target.Operands operands = target.operands(args, "KEY", "VALUE");
    String key = operands.rest().get(0);
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] v = operands.rest().get(1).getBytes(StandardCharsets.UTF_8);
    if (k.length < 1 || k.length > Bucket.MAX_KEY_SIZE) {
      throw Usage.wrong(
          spec, "a key is 1 to " + Bucket.MAX_KEY_SIZE + " bytes: key=" + KeyText.shortened(key));
    }
    try (KvStore store = target.openForWriting(operands)) {
      store.write(bucket, List.of(new KvStore.Entry(k, v)));
    }
    return ExitCode.OK;
  }
}
