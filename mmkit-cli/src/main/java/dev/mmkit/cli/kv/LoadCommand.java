package dev.mmkit.cli.kv;

import dev.mmkit.cli.BadInputException;
import dev.mmkit.cli.ExitCode;
import dev.mmkit.cli.Progress;
import dev.mmkit.cli.Usage;
import dev.mmkit.kv.Db;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * LoadCommand is {@code mmkit kv load DB}: reads KEY&lt;tab&gt;VALUE lines from standard input and
 * stores them, one durable commit (or replicated write) per batch.
 */
@Command(
    name = "load",
    mixinStandardHelpOptions = true,
    description = {
      "Store KEY<tab>VALUE lines (escaped text, as scan and dump print them) read from stdin,",
      "one durable commit per --batch lines. With --recursive (a DB file only), read what",
      "dump --recursive prints: buckets (created even when empty, with their sequences) and",
      "their entries."
    })
final class LoadCommand implements Callable<Integer> {
  @Parameters(
      arity = "0..1",
      paramLabel = "[DB]",
      hideParamSyntax = true,
      description = "Database file (left out with --cluster).")
  List<String> args;

  @Mixin BucketOption bucket;

  @Mixin Target target;

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

  /**
   * Line is one line of input that is not empty.
   *
   * @param number its number, from 1
   * @param text its text
   */
  private record Line(long number, String text) {}

  @Override
  public Integer call() throws IOException {
    if (batch < 1) {
      throw Usage.wrong(spec, "--batch must be at least 1: batch=" + batch);
    }
    target.refuseWithCluster(recursive, "--recursive");
    Target.Operands operands = target.operands(args);
    if (recursive) {
      TreeDump.Reader tree = new TreeDump.Reader();
      try (Db database = KvCommand.openForWriting(operands.db())) {
        load(
            lines ->
                database.update(
                    tx -> {
                      tree.start(bucket.create(tx));
                      lines.forEach(line -> parse(line, tree::apply));
                    }));
      }
    } else {
      try (KvStore store = target.openForWriting(operands)) {
        load(lines -> store.write(bucket, lines.stream().map(LoadCommand::entry).toList()));
      }
    }
    return ExitCode.OK;
  }

  /** Reads standard input and hands it to {@code commit} a batch of lines at a time. */
  private void load(Consumer<List<Line>> commit) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 1 << 16);
    long number = 0;
    long committed = 0;
    List<Line> pending = new ArrayList<>();
    try (Progress progress = Progress.start("loaded", -1, "lines")) {
      for (String text; (text = in.readLine()) != null; ) {
        number++;
        if (!text.isEmpty()) {
          pending.add(new Line(number, text));
        }
        if (pending.size() == batch) {
          committed = commit(pending, commit, committed, progress);
          pending = new ArrayList<>();
        }
      }
      if (!pending.isEmpty()) {
        commit(pending, commit, committed, progress);
      }
    }
  }

  /** Commits one batch, reports it, and returns the number of lines committed so far. */
  private long commit(
      List<Line> lines, Consumer<List<Line>> commit, long before, Progress progress) {
    commit.accept(lines);
    long committed = before + lines.size();
    if (verbose) {
      PrintWriter out = spec.commandLine().getOut();
      out.println("committed " + committed);
      out.flush();
    }
    progress.stepTo(committed);
    return committed;
  }

  /** Returns the entry of one KEY&lt;tab&gt;VALUE line. */
  private static KvStore.Entry entry(Line line) {
    return parse(
        line,
        text -> {
          int tab = text.indexOf('\t');
          if (tab < 0) {
            throw new IllegalArgumentException("the line has no tab");
          }
          return new KvStore.Entry(
              TsvFormat.unescape(text.substring(0, tab)),
              TsvFormat.unescape(text.substring(tab + 1)));
        });
  }

  /** Applies {@code reader} to the line's text; a line not of the format is bad input. */
  private static <T> T parse(Line line, Function<String, T> reader) {
    try {
      return reader.apply(line.text());
    } catch (IllegalArgumentException e) {
      throw new BadInputException("cannot load line " + line.number() + ": " + e.getMessage(), e);
    }
  }
}
