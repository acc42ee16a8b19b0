package dev.mmkit.cli.kv;

import dev.mmkit.cli.BadInputException;
import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Progress;
import dev.mmkit.cli.Usage;
import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.Tx;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * LoadCommand is {@code mmkit kv load DB}: reads KEY&lt;tab&gt;VALUE lines from standard input and
 * stores them, one durable commit per batch.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Store KEY<tab>VALUE lines (escaped text, as scan and dump print them) read from stdin,",
      "one durable commit per --batch lines. With --recursive, read what dump --recursive",
      "prints: buckets (created even when empty, with their sequences) and their entries."
    })
final class LoadCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DB", description = "Database file.")
  Path db;

  @Mixin BucketOption bucket;

  @Option(
      names = "--recursive",
      description = "Read dump --recursive lines (B and E lines) into the bucket and below it.")
  boolean recursive;

  @Option(names = "--batch", paramLabel = "N", description = "Lines per commit (default 1000).")
  int batch = 1000;

  @Option(
      names = "--verbose",
      description = "Print 'committed N' (lines stored so far) after each commit returns.")
  boolean verbose;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    if (batch < 1) {
      throw Usage.wrong(spec, "--batch must be at least 1: batch=" + batch);
    }
    PrintWriter out = spec.commandLine().getOut();
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
    long committed = 0;
    long lineNumber = 0;
    try (Db database = KvCommand.openForWriting(db)) {
      Progress progress = Progress.start("loaded", -1, "lines");
      Tx tx = null;
      try {
        Bucket target = null;
        TreeDump.Reader tree = new TreeDump.Reader();
        int pending = 0;
        for (String line; (line = in.readLine()) != null; ) {
          lineNumber++;
          if (line.isEmpty()) {
            continue;
          }
          if (tx == null) {
            tx = database.beginWrite();
            target = bucket.create(tx);
            tree.start(target);
          }
          try {
            if (recursive) {
              tree.apply(line);
            } else {
              put(target, line);
            }
          } catch (IllegalArgumentException e) {
            throw new BadInputException(
                "cannot load line " + lineNumber + ": " + e.getMessage(), e);
          }
          if (++pending == batch) {
            tx.commit();
            tx = null;
            committed += pending;
            pending = 0;
            report(out, committed, progress);
          }
        }
        if (tx != null) {
          tx.commit();
          tx = null;
          committed += pending;
          report(out, committed, progress);
        }
      } finally {
        if (tx != null) {
          tx.close();
        }
        progress.close();
      }
    }
    return ExitCode.OK;
  }

  /** Stores one KEY&lt;tab&gt;VALUE line. */
  private static void put(Bucket target, String line) {
    int tab = line.indexOf('\t');
    if (tab < 0) {
      throw new IllegalArgumentException("the line has no tab");
    }
    target.put(
        TsvFormat.unescape(line.substring(0, tab)), TsvFormat.unescape(line.substring(tab + 1)));
  }

  private void report(PrintWriter out, long committed, Progress progress) {
    if (verbose) {
      out.println("committed " + committed);
      out.flush();
    }
    progress.stepTo(committed);
  }
}
