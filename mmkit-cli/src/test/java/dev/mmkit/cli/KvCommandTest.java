package dev.mmkit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mmkit.cli.kv.TsvFormat;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * KvCommandTest runs the {@code mmkit kv} verbs as a user would, checking output and exit codes.
 */
class KvCommandTest {
  // The file format, as docs/FORMAT.md draws it, for damaging a database on purpose.
  private static final int PAGE = 4096;
  private static final int PAGE_TYPE = 4;
  private static final int PAGE_LEVEL = 5;
  private static final int PAGE_COUNT = 6;
  private static final int PAGE_TXID = 16;
  private static final int HEADER = 32;
  private static final int META_PAGE_COUNT = 48;
  private static final int META_ROOT = 56;
  private static final int BRANCH_ELEMENT = 20;
  private static final byte BRANCH = 2;
  private static final int KEYS = 6000;
  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  @TempDir Path dir;

  private record Result(int exit, String out, String err) {}

  private Result run(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(new MmkitCommand());
    cl.setExecutionExceptionHandler(new ErrorReporter());
    cl.setParameterExceptionHandler(ErrorReporter::usage);
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    InputStream saved = System.in;
    try {
      System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
      return new Result(cl.execute(args), out.toString(), err.toString());
    } finally {
      System.setIn(saved);
    }
  }

  @Test
  void shouldPutGetDeleteAndExitOneWhenAbsent() {
    String db = dir.resolve("a.db").toString();
    assertThat(run("", "kv", "put", db, "hello", "world").exit()).isZero();
    Result got = run("", "kv", "get", db, "hello");
    assertThat(got.exit()).isZero();
    assertThat(got.out()).isEqualTo("world" + System.lineSeparator());
    Result missing = run("", "kv", "get", db, "nope");
    assertThat(missing.exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(missing.err()).contains("key not found: key=nope");
    assertThat(run("", "kv", "del", db, "hello").exit()).isZero();
    assertThat(run("", "kv", "del", db, "hello").exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(run("", "kv", "get", dir.resolve("none.db").toString(), "k").exit())
        .isEqualTo(ExitCode.NOT_FOUND);
  }

  @Test
  void shouldRoundTripDumpThroughLoadWithEscapes() {
    String db = dir.resolve("b.db").toString();
    String lines = "a\\tb\tx\\x00y\nk2\tv\\\\2\nü\tñ\\n\n";
    Result load = run(lines, "kv", "load", "--verbose", "--batch", "2", "--bucket", "t/u", db);
    assertThat(load.exit()).isZero();
    assertThat(load.out()).contains("committed 2").contains("committed 3");
    Result dump = run("", "kv", "dump", "--bucket", "t/u", db);
    assertThat(dump.out().replace(System.lineSeparator(), "\n"))
        .isEqualTo("a\\tb\tx\\x00y\nk2\tv\\\\2\nü\tñ\\n\n");
    String copy = dir.resolve("copy.db").toString();
    assertThat(run(dump.out(), "kv", "load", copy).exit()).isZero();
    assertThat(run("", "kv", "dump", copy).out()).isEqualTo(dump.out());
    assertThat(run("", "kv", "buckets", db).out()).contains("t\t0").contains("t/u\t3");
  }

  @Test
  void shouldScanRangesPrefixesInReverseWithLimit() {
    String db = dir.resolve("s.db").toString();
    run("k1\t1\nk2\t2\nk3\t3\nx1\t4\n", "kv", "load", db);
    assertThat(run("", "kv", "scan", db, "--prefix", "k", "--reverse").out())
        .isEqualTo(String.join(System.lineSeparator(), "k3\t3", "k2\t2", "k1\t1", ""));
    assertThat(run("", "kv", "scan", db, "--from", "k2", "--to", "x1").out())
        .isEqualTo(String.join(System.lineSeparator(), "k2\t2", "k3\t3", ""));
    assertThat(run("", "kv", "scan", db, "--limit", "1").out())
        .isEqualTo("k1\t1" + System.lineSeparator());
  }

  @Test
  void shouldReportStatsCheckAndCompactAsTextAndJson() {
    String db = dir.resolve("c.db").toString();
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 3000; i++) {
      lines.append("key").append(i).append('\t').append("value").append(i).append('\n');
    }
    run(lines.toString(), "kv", "load", db);
    assertThat(run("", "kv", "stats", db, "--json").out()).contains("\"keys\":3000");
    Result check = run("", "kv", "check", db);
    assertThat(check.exit()).isZero();
    assertThat(check.out()).contains("ok");
    String dense = dir.resolve("dense.db").toString();
    assertThat(run("", "kv", "compact", db, dense).exit()).isZero();
    assertThat(run("", "kv", "check", dense, "--json").out()).contains("\"ok\":true");
  }

  @Test
  void shouldExitThreeListingProblemsOfACorruptFile() throws Exception {
    Path db = dir.resolve("bad.db");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 2000; i++) {
      lines.append("key").append(i).append("\tvalue\n");
    }
    run(lines.toString(), "kv", "load", db.toString());
    byte[] bytes = Files.readAllBytes(db);
    for (int page = 2; page < bytes.length / 4096; page++) {
      bytes[page * 4096 + 2000] ^= 0x55;
    }
    Files.write(db, bytes);
    Result check = run("", "kv", "check", db.toString());
    assertThat(check.exit()).isEqualTo(ExitCode.BAD_DATA);
    // Every commit's pages are damaged, so no meta page names a whole commit: the open fails.
    assertThat(check.err()).contains("no meta page describes a whole commit");
    assertThat(check.err()).contains("checksum mismatch");
    Result get = run("", "kv", "get", db.toString(), "key5");
    assertThat(get.exit()).isEqualTo(ExitCode.BAD_DATA);
    assertThat(get.err().strip().lines().count()).isEqualTo(1);
    assertThat(get.err()).contains("corrupt database page");
    Files.write(db, new byte[10_000]);
    Result garbage = run("", "kv", "check", db.toString());
    assertThat(garbage.exit()).isEqualTo(ExitCode.BAD_DATA);
    assertThat(garbage.err()).contains("not an mmkit-kv database");
  }

  @Test
  void shouldPrintStructuralProblemsBeforeOneLineOfLeakedPages() throws Exception {
    Path db = dir.resolve("leaky.db");
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < KEYS; i++) {
      lines.append(String.format("key%05d\tvalue%05d\n", i, i));
    }
    run(lines.toString(), "kv", "load", db.toString(), "--bucket", "b");
    // A newer commit elsewhere, so that the damage below hits a page of an older commit (damage
    // to the newest commit's pages sets that commit aside instead).
    run("", "kv", "put", db.toString(), "k", "v", "--bucket", "z");
    assertThat(run("", "kv", "check", db.toString()).exit()).isZero();
    byte[] bytes = Files.readAllBytes(db);
    ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int meta = le.getLong(PAGE_TXID) > le.getLong(PAGE + PAGE_TXID) ? 0 : 1;
    long pageCount = le.getLong(meta * PAGE + META_PAGE_COUNT);
    int root = firstBucketRoot(le, (int) le.getLong(meta * PAGE + META_ROOT));
    assertThat(bytes[root * PAGE + PAGE_TYPE]).as("root is a branch").isEqualTo(BRANCH);
    assertThat(bytes[root * PAGE + PAGE_LEVEL]).as("root is above the leaves").isEqualTo((byte) 1);
    List<Long> leaves = new ArrayList<>();
    int children = Short.toUnsignedInt(le.getShort(root * PAGE + PAGE_COUNT));
    for (int i = 0; i < children; i++) {
      leaves.add(le.getLong(root * PAGE + HEADER + i * BRANCH_ELEMENT));
    }
    Collections.sort(leaves);
    assertThat(leaves).as("enough leaves to group").hasSizeGreaterThan(10);
    Arrays.fill(bytes, root * PAGE, (root + 1) * PAGE, (byte) 0);
    Files.write(db, bytes);

    Result check = run("", "kv", "check", db.toString());

    assertThat(check.exit()).isEqualTo(ExitCode.BAD_DATA);
    int leaked = leaves.size();
    String firstPages =
        leaves.subList(0, 5).stream().map(String::valueOf).collect(Collectors.joining(", "));
    assertThat(check.out().lines())
        .containsExactly(
            db + ": page " + root + ": page id mismatch: found=0, bucket=/b/",
            db
                + ": page "
                + root
                + ": bucket key count mismatch: bucket=/b/, header="
                + KEYS
                + ", found=0",
            db
                + ": "
                + leaked
                + " x page is neither in use nor free (leaked): pages "
                + firstPages
                + " and "
                + (leaked - 5)
                + " more",
            db
                + ": "
                + (leaked + 2)
                + " problems (0 commit, 1 structure, 1 count, "
                + leaked
                + " space)");

    Result json = run("", "kv", "check", db.toString(), "--json");
    assertThat(json.exit()).isEqualTo(ExitCode.BAD_DATA);
    JsonNode n = new ObjectMapper().readTree(json.out());
    assertThat(n.get("ok").asBoolean()).isFalse();
    assertThat(n.get("pages").asLong()).isEqualTo(pageCount);
    assertThat(n.get("dropped").asLong()).isZero();
    assertThat(n.get("problems")).hasSize(leaked + 2);
    JsonNode first = n.get("problems").get(0);
    assertThat(first.get("severity").asText()).isEqualTo("STRUCTURE");
    assertThat(first.get("kind").asText()).isEqualTo("page id mismatch");
    assertThat(first.get("pageId").asLong()).isEqualTo(root);
    assertThat(first.get("detail").asText()).isEqualTo("found=0, bucket=/b/");
    JsonNode groups = n.get("groups");
    assertThat(groups).hasSize(3);
    assertThat(groups.get(0).get("kind").asText()).isEqualTo("page id mismatch");
    assertThat(groups.get(1).get("severity").asText()).isEqualTo("COUNT");
    JsonNode space = groups.get(2);
    assertThat(space.get("severity").asText()).isEqualTo("SPACE");
    assertThat(space.get("kind").asText()).isEqualTo("page is neither in use nor free (leaked)");
    assertThat(space.get("count").asInt()).isEqualTo(leaked);
    List<Long> pageIds = new ArrayList<>();
    space.get("pageIds").forEach(id -> pageIds.add(id.asLong()));
    assertThat(pageIds).isEqualTo(leaves.subList(0, 5));
  }

  /** Returns the root page of the bucket in the first entry of leaf {@code leaf}. */
  private static int firstBucketRoot(ByteBuffer le, int leaf) {
    int element = leaf * PAGE + HEADER;
    int keyAt = leaf * PAGE + Short.toUnsignedInt(le.getShort(element));
    int keyLength = Short.toUnsignedInt(le.getShort(element + 2));
    return (int) le.getLong(keyAt + keyLength);
  }

  @Test
  void shouldBackUpAndCompactKeepingThePageSizeUnlessAsked() throws Exception {
    Path source = dir.resolve("eight.db");
    try (dev.mmkit.kv.Db db =
        dev.mmkit.kv.Db.open(source, dev.mmkit.kv.DbOptions.defaults().pageSize(8192))) {
      db.update(
          tx -> {
            for (int i = 0; i < 500; i++) {
              tx.createBucketIfAbsent("b").put("k" + i, "v" + i);
            }
          });
    }
    String backup = dir.resolve("backup.db").toString();
    Result b = run("", "kv", "backup", source.toString(), backup, "--json");
    assertThat(b.exit()).isZero();
    assertThat(new ObjectMapper().readTree(b.out()).get("txid").asLong()).isPositive();
    String same = dir.resolve("same.db").toString();
    String larger = dir.resolve("larger.db").toString();
    assertThat(run("", "kv", "compact", source.toString(), same).exit()).isZero();
    assertThat(run("", "kv", "compact", source.toString(), larger, "--page-size", "16384").exit())
        .isZero();
    for (String[] copy : new String[][] {{backup, "8192"}, {same, "8192"}, {larger, "16384"}}) {
      JsonNode stats = new ObjectMapper().readTree(run("", "kv", "stats", copy[0], "--json").out());
      assertThat(stats.get("pageSize").asText()).as(copy[0]).isEqualTo(copy[1]);
      assertThat(stats.get("keys").asLong()).as(copy[0]).isEqualTo(500);
      assertThat(run("", "kv", "check", copy[0]).exit()).as(copy[0]).isZero();
      assertThat(run("", "kv", "get", copy[0], "k499", "--bucket", "b").out()).contains("v499");
    }
    assertThat(run("", "kv", "backup", source.toString(), backup).exit())
        .as("the target exists")
        .isEqualTo(ExitCode.USAGE);
  }

  @Test
  void shouldTellBadInputFromWrongArgumentsAndKeepWhatWasCommitted() throws Exception {
    String db = dir.resolve("input.db").toString();
    Result badLine = run("a\t1\nb\t2\nno tab here\nc\t3\n", "kv", "load", db, "--batch", "2");
    assertThat(badLine.exit()).isEqualTo(ExitCode.BAD_DATA);
    assertThat(badLine.err()).contains("cannot load line 3", "no tab");
    assertThat(run("", "kv", "get", db, "b").out()).contains("2");
    assertThat(run("", "kv", "get", db, "c").exit()).isEqualTo(ExitCode.NOT_FOUND);
    Result badEscape = run("k\\q\tv\n", "kv", "load", db);
    assertThat(badEscape.exit()).isEqualTo(ExitCode.BAD_DATA);
    assertThat(badEscape.err()).contains("cannot load line 1", "unknown escape");

    Result longKey = run("", "kv", "put", db, "k".repeat(1025), "v");
    assertThat(longKey.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(longKey.err()).contains("a key is 1 to 1024 bytes", "(1025 bytes)", "--help");
    assertThat(run("", "kv", "put", db, "k".repeat(1024), "v").exit()).isZero();

    Result pageSize =
        run("", "kv", "compact", db, dir.resolve("c.db").toString(), "--page-size", "5000");
    assertThat(pageSize.exit()).isEqualTo(ExitCode.USAGE);
    assertThat(pageSize.err()).contains("page size must be a power of two");
    assertThat(dir.resolve("c.db")).doesNotExist();
    assertThat(run("", "kv", "bench", db).exit()).as("bench on an existing file").isEqualTo(2);
    assertThat(run("", "kv", "check", db).exit()).isZero();
  }

  @Test
  void shouldShortenALongKeyInMessagesAndNameADirectory() throws Exception {
    String db = dir.resolve("short.db").toString();
    run("", "kv", "put", db, "k", "v");
    String longKey = "x".repeat(100_000);
    Result missing = run("", "kv", "get", db, longKey);
    assertThat(missing.exit()).isEqualTo(ExitCode.NOT_FOUND);
    assertThat(missing.err()).contains("x".repeat(64) + "... (100000 bytes)");
    assertThat(missing.err().length()).as("the key is not echoed whole").isLessThan(400);
    Result folder = run("", "kv", "get", dir.toString(), "k");
    assertThat(folder.exit()).isEqualTo(ExitCode.BAD_DATA);
    assertThat(folder.err()).contains("not a database but a directory");
  }

  @Test
  void shouldRoundTripEveryNestedBucketThroughARecursiveDump() throws Exception {
    Path source = dir.resolve("tree.db");
    try (dev.mmkit.kv.Db db = dev.mmkit.kv.Db.open(source)) {
      db.update(
          tx -> {
            tx.root().put("top", "level");
            dev.mmkit.kv.Bucket odd = tx.createBucketIfAbsent("a/b\tc".getBytes(UTF8));
            odd.put(new byte[] {0, 1, (byte) 0xFF}, new byte[] {'\n', '\t'});
            odd.setSequence(17);
            dev.mmkit.kv.Bucket deep = odd.createBucketIfAbsent("deep").createBucketIfAbsent("er");
            deep.put("k", "v");
            deep.nextSequence();
            tx.createBucketIfAbsent("empty");
          });
    }
    Result dump = run("", "kv", "dump", source.toString(), "--recursive");
    assertThat(dump.exit()).isZero();
    assertThat(dump.out()).startsWith("B\t\t0\n").contains("B\ta\\x2fb\\tc\t17\n");
    Path copy = dir.resolve("tree-copy.db");
    Result load = run(dump.out(), "kv", "load", copy.toString(), "--recursive", "--batch", "2");
    assertThat(load.exit()).as(load.err()).isZero();
    try (dev.mmkit.kv.Db a = dev.mmkit.kv.Db.open(source);
        dev.mmkit.kv.Db b = dev.mmkit.kv.Db.open(copy)) {
      assertThat(describe(b)).isEqualTo(describe(a)).contains("/empty/ seq=0");
    }
  }

  /** Returns every bucket (with its sequence) and entry of a database, one per line. */
  private static String describe(dev.mmkit.kv.Db db) {
    StringBuilder out = new StringBuilder();
    db.view(tx -> describe(tx.root(), "/", out));
    return out.toString();
  }

  private static void describe(dev.mmkit.kv.Bucket b, String path, StringBuilder out) {
    out.append(path).append(" seq=").append(b.sequence()).append('\n');
    dev.mmkit.kv.Cursor c = b.cursor();
    for (boolean ok = c.first(); ok; ok = c.next()) {
      out.append(path)
          .append(' ')
          .append(java.util.HexFormat.of().formatHex(c.keyBytes()))
          .append('=')
          .append(java.util.HexFormat.of().formatHex(c.valueBytes()))
          .append('\n');
    }
    for (byte[] name : b.bucketNames()) {
      describe(b.bucket(name), path + new String(name, UTF8) + "/", out);
    }
  }

  /**
   * A flipped bit in the newest meta page: the database opens at the commit before, says so in
   * stats, and check exits 3 saying an acknowledged commit may be lost.
   */
  @Test
  void shouldReportAMetaPageSetAsideInStatsAndCheck() throws Exception {
    String db = dir.resolve("meta.db").toString();
    run("", "kv", "put", db, "k", "first");
    run("", "kv", "put", db, "k", "second");
    byte[] bytes = Files.readAllBytes(Path.of(db));
    ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int newest = le.getLong(PAGE_TXID) > le.getLong(PAGE + PAGE_TXID) ? 0 : 1;
    bytes[newest * PAGE + 2000] ^= 1;
    Files.write(Path.of(db), bytes);

    assertThat(run("", "kv", "get", db, "k").out().strip()).isEqualTo("first");
    JsonNode stats = new ObjectMapper().readTree(run("", "kv", "stats", db, "--json").out());
    JsonNode discarded = stats.get("discardedCommit");
    assertThat(discarded.get("metaPage").asInt()).isEqualTo(newest);
    assertThat(discarded.get("reason").asText()).contains("checksum mismatch");
    Result check = run("", "kv", "check", db);
    assertThat(check.exit()).isEqualTo(ExitCode.BAD_DATA);
    assertThat(check.out()).contains("acknowledged commit may be lost");

    run("", "kv", "put", db, "k", "third");
    assertThat(run("", "kv", "check", db).exit())
        .as("a commit overwrote the damaged meta page")
        .isZero();
    assertThat(
            new ObjectMapper()
                .readTree(run("", "kv", "stats", db, "--json").out())
                .get("discardedCommit")
                .isNull())
        .isTrue();
  }

  @Test
  void shouldBenchASmallDatabase() throws Exception {
    Result r =
        run(
            "",
            "kv",
            "bench",
            dir.resolve("bench.db").toString(),
            "--count",
            "3000",
            "--durable-puts",
            "200",
            "--threads",
            "4",
            "--json");
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("\"readsPerSecond\"").contains("\"scanEntriesPerSecond\"");
    assertThat(r.out()).contains("\"checked\":true").contains("\"durablePutsPerSecond\"");
    JsonNode stats =
        new ObjectMapper()
            .readTree(run("", "kv", "stats", dir.resolve("bench.db").toString(), "--json").out());
    assertThat(stats.get("keys").asLong()).as("3000 written, 200 durable puts").isEqualTo(3200);
  }

  @Test
  void shouldEscapeAnyBytesReversibly() {
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    String text = TsvFormat.escape(all);
    assertThat(text).doesNotContain("\t").doesNotContain("\n");
    assertThat(TsvFormat.unescape(text)).isEqualTo(all);
    byte[] utf8 = "héllo wörld ✓".getBytes(StandardCharsets.UTF_8);
    assertThat(TsvFormat.escape(utf8)).isEqualTo("héllo wörld ✓");
  }
}
