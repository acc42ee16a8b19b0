package dev.mmkit.cli.kv;

import dev.mmkit.cli.Usage;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.DbOptions;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * KvCommand is {@code mmkit kv}: the verbs that read, write, inspect and measure an mmkit-kv
 * database from the shell.
 */
@Command(
    name = "kv",
    mixinStandardHelpOptions = true,
    description = {
      "An embedded, crash-safe key-value store in one memory-mapped file.",
      "Keys and values on the command line are UTF-8 text; scan, dump and load use tab-separated",
      "lines in which \\\\, \\t, \\n, \\r and \\xHH escape bytes that are not plain text."
    },
    subcommands = {
      PutCommand.class,
      GetCommand.class,
      DelCommand.class,
      ScanCommand.class,
      LoadCommand.class,
      DumpCommand.class,
      BucketsCommand.class,
      StatsCommand.class,
      CheckCommand.class,
      CompactCommand.class,
      BackupCommand.class,
      ServeCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class
    })
public final class KvCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** Opens an existing database for reading only. */
  static Db openForReading(Path path) {
    return Db.open(path, DbOptions.defaults().readOnly(true));
  }

  /**
   * Fails with a usage error when {@code target}, a file the command is to create, exists: mmkit
   * never writes over a file it was asked to create.
   */
  static void requireNew(CommandSpec spec, Path target) {
    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
      throw Usage.wrong(spec, "the target exists; give a new file: file=" + target);
    }
  }

  /** Opens a database for writing, creating it when missing. */
  static Db openForWriting(Path path) {
    return Db.open(path, DbOptions.defaults());
  }
}
