package dev.mmkit.cli.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.mmkit.cli.ExitCode;
import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Db;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** BucketsCommand is {@code mmkit kv buckets DB}: lists the buckets, nested ones as paths. */
@Command(
    name = "buckets",
    mixinStandardHelpOptions = true,
    description = "List the buckets (nested ones as a/b) with their key counts: PATH<tab>KEYS.")
final class BucketsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DB", description = "Database file.")
  Path db;

  @Mixin BucketOption bucket;

  @Option(names = "--json", description = "Print a JSON array of {bucket, keys, sequence}.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ObjectMapper mapper = new ObjectMapper();
    ArrayNode list = mapper.createArrayNode();
    try (Db database = KvCommand.openForReading(db)) {
      database.view(
          tx -> walk(bucket.find(tx), bucket.path == null ? "" : bucket.path + "/", list));
    }
    if (json) {
      out.println(mapper.writeValueAsString(list));
    } else {
      list.forEach(n -> out.println(n.get("bucket").asText() + "\t" + n.get("keys").asLong()));
    }
    out.flush();
    return ExitCode.OK;
  }

  private static void walk(Bucket parent, String prefix, ArrayNode list) {
    for (byte[] name : parent.bucketNames()) {
      Bucket child = parent.bucket(name);
      String path = prefix + TsvFormat.escape(name);
      list.addObject()
          .put("bucket", path)
          .put("keys", child.count())
          .put("sequence", child.sequence());
      walk(child, path + "/", list);
    }
  }
}
