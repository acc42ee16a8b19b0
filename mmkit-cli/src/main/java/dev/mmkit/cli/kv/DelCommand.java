package dev.mmkit.cli.kv;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.NotFoundException;
import dev.mmkit.kv.Db;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
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
  @Parameters(index = "0", paramLabel = "DB", description = "Database file.")
  Path db;

  @Parameters(index = "1", paramLabel = "KEY", description = "Key (UTF-8 text).")
  String key;

  @Mixin BucketOption bucket;

  @Override
  public Integer call() {
    boolean deleted;
    try (Db database = KvCommand.openForWriting(db)) {
      deleted = database.write(tx -> bucket.find(tx).delete(key.getBytes(StandardCharsets.UTF_8)));
    }
    if (!deleted) {
      throw new NotFoundException(
          "key not found: key=" + KeyText.shortened(key) + ", bucket=" + bucket.describe());
    }
    return ExitCode.OK;
  }
}
