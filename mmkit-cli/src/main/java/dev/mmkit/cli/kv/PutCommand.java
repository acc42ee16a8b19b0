package dev.mmkit.cli.kv;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Usage;
import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Db;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** PutCommand is {@code mmkit kv put DB KEY VALUE}: one durable commit storing one value. */
@Command(
    name = "put",
    mixinStandardHelpOptions = true,
    description = "Store VALUE under KEY (creating the database and the bucket when missing).")
final class PutCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DB", description = "Database file.")
  Path db;

  @Parameters(index = "1", paramLabel = "KEY", description = "Key (UTF-8 text).")
  String key;

  @Parameters(index = "2", paramLabel = "VALUE", description = "Value (UTF-8 text).")
  String value;

  @Mixin BucketOption bucket;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    byte[] k = key.getBytes(StandardCharsets.UTF_8);
    byte[] v = value.getBytes(StandardCharsets.UTF_8);
    if (k.length < 1 || k.length > Bucket.MAX_KEY_SIZE) {
      throw Usage.wrong(
          spec, "a key is 1 to " + Bucket.MAX_KEY_SIZE + " bytes: key=" + KeyText.shortened(key));
    }
    try (Db database = KvCommand.openForWriting(db)) {
      database.update(tx -> bucket.create(tx).put(k, v));
    }
    return ExitCode.OK;
  }
}
