package dev.mmkit.cli.kv;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.kv.Db;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

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

  @Override
  public Integer call() {
    try (Db database = KvCommand.openForWriting(db)) {
      database.update(
          tx ->
              bucket
                  .create(tx)
                  .put(
                      key.getBytes(StandardCharsets.UTF_8),
                      value.getBytes(StandardCharsets.UTF_8)));
    }
    return ExitCode.OK;
  }
}
