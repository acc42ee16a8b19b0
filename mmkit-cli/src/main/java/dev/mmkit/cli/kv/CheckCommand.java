package dev.mmkit.cli.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmkit.cli.ExitCode;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.DbCheckReport;
import dev.mmkit.kv.DbProblem;
import dev.mmkit.kv.DbProblem.Severity;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * CheckCommand is {@code mmkit kv check DB}: walks the whole database; exit 0 when sound, 3 with
 * the problems listed when not, grouped by severity and kind ({@link ProblemGroup}).
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Walk everything: every page reachable once or free, checksums, structure,",
      "key order, tree levels, key counts, freelist. Exit 0 when sound, 3 when not,",
      "listing problems by severity: damaged structure, then wrong key counts, then",
      "leaked pages. A kind of problem found more than once prints as one line with",
      "its count and first pages; the last line totals the problems by severity."
    })
final class CheckCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DB", description = "Database file.")
  Path db;

  @Option(
      names = "--json",
      description =
          "Print {\"file\", \"ok\", \"pages\", \"problems\": [{\"severity\", \"kind\", \"pageId\","
              + " \"detail\"}...], \"groups\": [{\"severity\", \"kind\", \"count\", \"pageIds\""
              + " (the first few)}...], \"dropped\" (problems found but not kept)}.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    DbCheckReport report;
    try (Db database = KvCommand.openForReading(db)) {
      report = database.checkReport();
    }
    List<ProblemGroup> groups = ProblemGroup.of(report.problems());
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      out.println(new ObjectMapper().writeValueAsString(toJson(report, groups)));
    } else if (report.ok()) {
      out.printf("%s: ok, %,d pages checked%n", db, report.pageCount());
    } else {
      for (ProblemGroup g : groups) {
        out.println(db + ": " + g.line());
      }
      if (report.dropped() > 0) {
        out.printf(
            "%s: %d more problems found but not kept (a check keeps the first %d)%n",
            db, report.dropped(), DbCheckReport.MAX_PROBLEMS);
      }
      out.printf("%s: %d problems (%s)%n", db, report.found(), bySeverity(report));
    }
    out.flush();
    return report.ok() ? ExitCode.OK : ExitCode.BAD_DATA;
  }

  /** Returns {@code 2 structure, 0 count, 113 space}, and how many were not kept if any. */
  private static String bySeverity(DbCheckReport report) {
    List<String> counts = new ArrayList<>();
    for (Severity s : Severity.values()) {
      long n = report.problems().stream().filter(p -> p.severity() == s).count();
      counts.add(n + " " + s.name().toLowerCase(Locale.ROOT));
    }
    if (report.dropped() > 0) {
      counts.add(report.dropped() + " not kept");
    }
    return String.join(", ", counts);
  }

  private ObjectNode toJson(DbCheckReport report, List<ProblemGroup> groups) {
    ObjectNode n = new ObjectMapper().createObjectNode();
    n.put("file", db.toString());
    n.put("ok", report.ok());
    n.put("pages", report.pageCount());
    ArrayNode problems = n.putArray("problems");
    for (DbProblem p : report.problems()) {
      ObjectNode o = problems.addObject();
      o.put("severity", p.severity().name());
      o.put("kind", p.kind());
      o.put("pageId", p.pageId());
      o.put("detail", p.detail());
    }
    ArrayNode grouped = n.putArray("groups");
    for (ProblemGroup g : groups) {
      ObjectNode o = grouped.addObject();
      o.put("severity", g.severity().name());
      o.put("kind", g.kind());
      o.put("count", g.count());
      g.firstPageIds().forEach(o.putArray("pageIds")::add);
    }
    n.put("dropped", report.dropped());
    return n;
  }
}
