package dev.mmkit.cli.kv;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mmkit.cli.ExitCode;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.DbProblem;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * CheckCommand is {@code mmkit kv check DB}: walks the whole database; exit 0 when sound, 3 with
 * every problem listed when not.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Walk everything: every page reachable once or free, checksums, structure, key order,",
      "tree levels, key counts, freelist. Exit 0 when sound, 3 listing every problem."
    })
final class CheckCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "DB", description = "Database file.")
  Path db;

  @Option(names = "--json", description = "Print {\"file\", \"ok\", \"problems\": [...]}.")
  boolean json;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    List<DbProblem> problems;
    long pages;
    try (Db database = KvCommand.openForReading(db)) {
      problems = database.check();
      pages = database.stats().pageCount();
    }
    PrintWriter out = spec.commandLine().getOut();
    if (json) {
      ObjectNode n = new ObjectMapper().createObjectNode();
      n.put("file", db.toString());
      n.put("ok", problems.isEmpty());
      n.put("pages", pages);
      ArrayNode list = n.putArray("problems");
      problems.forEach(p -> list.add(p.toString()));
      out.println(new ObjectMapper().writeValueAsString(n));
    } else if (problems.isEmpty()) {
      out.printf("%s: ok, %,d pages checked%n", db, pages);
    } else {
      for (DbProblem p : problems) {
        out.println(db + ": " + p);
      }
      out.printf("%s: %d problems%n", db, problems.size());
    }
    out.flush();
    return problems.isEmpty() ? ExitCode.OK : ExitCode.BAD_DATA;
  }
}
