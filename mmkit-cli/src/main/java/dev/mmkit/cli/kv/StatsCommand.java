package dev.mmkit.cli.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Sizes;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.DbStats;
import dev.mmkit.kv.DiscardedCommit;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * StatsCommand is {@code mmkit kv stats DB}: page counts by type, fill, depth, file size, and what
 * the open set aside, if anything ({@code discardedCommit}, null in JSON when nothing).
 */
@Command(
    name = "stats",
    mixinStandardHelpOptions = true,
    description = "Show page counts by type, free pages, fill, tree depth and file size.")
final class StatsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DB", description = "Database file.")
  Path db;

  @Option(names = "--json", description = "Print one JSON object.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    DbStats s;
    DiscardedCommit discarded;
    try (Db database = KvCommand.openForReading(db)) {
      s = database.stats();
      discarded = database.discardedCommit().orElse(null);
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode n = toJson(s);
      n.set("discardedCommit", discarded == null ? null : toJson(discarded));
      out.println(new ObjectMapper().writeValueAsString(n));
    } else {
      out.printf(
          "file      %s: %s, %,d pages of %,d bytes, txid %d%n",
          s.file(), Sizes.bytes(s.fileSize()), s.pageCount(), s.pageSize(), s.txid());
      out.printf(
          "pages     meta 2, branch %,d, leaf %,d, overflow %,d, freelist %,d%n",
          s.branchPages(), s.leafPages(), s.overflowPages(), s.freelistPages());
      out.printf(
          "free      %,d free, %,d pending (freed, kept while a reader may see them)%n",
          s.freePages(), s.pendingPages());
      out.printf(
          Locale.ROOT,
          "contents  %,d buckets, %,d keys, depth %d, fill %.1f%%%n",
          s.buckets(),
          s.keys(),
          s.depth(),
          s.fill() * 100);
      out.printf(
          "readers   %d open read transactions, the oldest %,d commits behind%n",
          s.readers(), s.oldestReaderLag());
      out.printf(
          "log       %s on disk (NAME-wal), %s of records since the last checkpoint%n",
          Sizes.bytes(s.logSize()), Sizes.bytes(s.logRecordBytes()));
      if (discarded != null) {
        out.printf("opened    set aside at open: %s%n", discarded.message());
      }
    }
    out.flush();
    return ExitCode.OK;
  }

  private static ObjectNode toJson(DiscardedCommit d) {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("metaPage", d.metaPage());
    n.put("txid", d.txid());
    n.put("reason", d.reason());
    n.put("openedTxid", d.openedTxid());
    n.put("message", d.message());
    return n;
  }

  static ObjectNode toJson(DbStats s) {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("file", s.file().toString());
    n.put("fileSize", s.fileSize());
    n.put("pageSize", s.pageSize());
    n.put("pageCount", s.pageCount());
    n.put("txid", s.txid());
    n.put("metaPages", 2);
    n.put("branchPages", s.branchPages());
    n.put("leafPages", s.leafPages());
    n.put("overflowPages", s.overflowPages());
    n.put("freelistPages", s.freelistPages());
    n.put("freePages", s.freePages());
    n.put("pendingPages", s.pendingPages());
    n.put("buckets", s.buckets());
    n.put("keys", s.keys());
    n.put("depth", s.depth());
    n.put("fill", s.fill());
    n.put("readers", s.readers());
    n.put("oldestReaderLag", s.oldestReaderLag());
    n.put("logSize", s.logSize());
    n.put("logRecordBytes", s.logRecordBytes());
    return n;
  }
}
