package dev.mmkit.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mmkit.core.CorruptException;
import dev.mmkit.core.TruncatedException;
import dev.mmkit.kv.DbProblem.Severity;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.Checksums;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * CorruptionTest damages real database files (flipped bits, zeroed ranges, random bytes,
 * truncation, and hostile pages with valid checksums) and checks that every outcome is the correct
 * data, a {@link CorruptException}, or the previous commit with the newest one set aside and
 * reported by {@link Db#discardedCommit()} and {@link Db#check()}: never another exception, a
 * crash, a hang, or a different answer that the checker calls sound.
 */
class CorruptionTest {
  private static final int PAGE = 4096;

  @TempDir Path dir;
  private byte[] original;
  private TreeMap<String, byte[]> expected;
  private TreeMap<String, byte[]> previous;

  @BeforeEach
  void build() throws IOException {
    Path file = dir.resolve("source.db");
    Random r = new Random(5);
    try (Db db = Db.open(file)) {
      db.update(
          tx -> {
            Bucket a = tx.createBucketIfAbsent("a");
            for (int i = 0; i < 1500; i++) {
              a.put(key(i), value(r, i % 97 == 0 ? 12_000 : 40));
            }
            Bucket c = tx.createBucketIfAbsent("b").createBucketIfAbsent("c".getBytes());
            for (int i = 0; i < 50; i++) {
              c.put(key(i), value(r, 10));
            }
            c.nextSequence();
          });
      for (int round = 0; round < 5; round++) {
        db.update(
            tx -> {
              Bucket a = tx.bucket("a");
              for (int i = 0; i < 300; i++) {
                int k = r.nextInt(1500);
                if (r.nextBoolean()) {
                  a.delete(key(k));
                } else {
                  a.put(key(k), value(r, 60));
                }
              }
            });
      }
      previous = contents(db);
      // The newest commit touches only bucket z (and the root bucket's leaf), so that damage to
      // bucket a and b/c hits pages of older commits.
      db.update(tx -> tx.createBucketIfAbsent("z").put(key(7), "last".getBytes()));
      expected = contents(db);
    }
    original = Files.readAllBytes(file);
  }

  @Test
  void shouldReadCorrectlyOrFailCleanlyAfterRandomDamage() {
    damage(250, 17);
  }

  @Test
  @Tag("soak")
  void shouldReadCorrectlyOrFailCleanlyAfterMuchRandomDamage() {
    damage(5000, 18);
  }

  private void damage(int trials, long seed) {
    Random r = new Random(seed);
    int detected = 0;
    int intact = 0;
    int setAside = 0;
    for (int trial = 0; trial < trials; trial++) {
      byte[] bytes = original.clone();
      int kind = r.nextInt(4);
      int at = r.nextInt(5) == 0 ? r.nextInt(2 * PAGE) : r.nextInt(bytes.length);
      int length = 1;
      switch (kind) {
        case 0 -> bytes[at] ^= (byte) (1 << r.nextInt(8));
        case 1 -> {
          length = 1 + r.nextInt(PAGE * 2);
          Arrays.fill(bytes, at, Math.min(bytes.length, at + length), (byte) 0);
        }
        case 2 -> {
          length = 1 + r.nextInt(64);
          for (int i = at; i < Math.min(bytes.length, at + length); i++) {
            bytes[i] = (byte) r.nextInt();
          }
        }
        default -> bytes = Arrays.copyOf(bytes, at);
      }
      String what = "trial=" + trial + ", kind=" + kind + ", at=" + at + ", length=" + length;
      Outcome o = attempt(bytes, trial);
      if (o.failure != null) {
        assertThat(o.failure).as(what).isInstanceOf(CorruptException.class);
        assertThat(o.failure.getMessage()).as(what).contains("file=");
        detected++;
      } else if (same(o.contents, expected)) {
        intact++;
      } else if (same(o.contents, previous) && reportsACommitProblem(o.problems)) {
        setAside++;
      } else {
        throw new AssertionError("wrong answer after damage: " + what + ", problems=" + o.problems);
      }
    }
    System.out.println(
        "damage trials="
            + trials
            + ", detected="
            + detected
            + ", intact="
            + intact
            + ", newest commit set aside="
            + setAside);
    assertThat(detected).isGreaterThan(trials / 10);
    assertThat(intact).isGreaterThan(trials / 10);
    assertThat(setAside).isPositive();
  }

  private static boolean reportsACommitProblem(List<DbProblem> problems) {
    return !problems.isEmpty() && problems.getFirst().severity() == Severity.COMMIT;
  }

  /**
   * Damage to any byte of either meta page gives the newest commit, or the previous one with the
   * newest set aside and reported, or a clean failure; and the checker never calls it sound unless
   * the answer is the newest commit and both meta pages are intact.
   */
  @Test
  void shouldNeverAnswerDifferentlyWithACleanCheckAfterMetaDamage() {
    sweepMetaPages(61);
  }

  @Test
  @Tag("soak")
  void shouldNeverAnswerDifferentlyWithACleanCheckAfterDamageToAnyMetaByte() {
    sweepMetaPages(1);
  }

  private void sweepMetaPages(int stride) {
    int trials = 0;
    for (int at = 0; at < 2 * PAGE; at += stride, trials++) {
      byte[] bytes = original.clone();
      bytes[at] ^= (byte) 0x10;
      Outcome o = attempt(bytes, trials);
      String what = "byte " + at + " of the meta pages";
      if (o.failure != null) {
        assertThat(o.failure).as(what).isInstanceOf(CorruptException.class);
        continue;
      }
      // The checksum covers every byte of a meta page, so every flip must be reported.
      assertThat(reportsACommitProblem(o.problems))
          .as("%s: a flipped bit the checker misses, problems=%s", what, o.problems)
          .isTrue();
      if (!same(o.contents, expected)) {
        assertThat(same(o.contents, previous)).as(what + ": a wrong answer").isTrue();
      }
    }
  }

  @Test
  void shouldSetAsideTheNewestCommitWhenOneOfItsPagesIsDamagedAndSaySo() throws IOException {
    byte[] bytes = original.clone();
    int newestTxid = newestTxid(bytes);
    int leafOfZ = bucketRoot(bytes, rootPage(bytes), "z");
    assertThat(Bytes.getLong(bytes, leafOfZ * PAGE + PageLayout.TXID)).isEqualTo(newestTxid);
    bytes[leafOfZ * PAGE + 100] ^= 1;
    Path file = Files.createTempFile(dir, "z", ".db");
    Files.write(file, bytes);
    try (Db db = Db.open(file, DbOptions.defaults().readOnly(true))) {
      assertThat(same(contents(db), previous)).isTrue();
      DiscardedCommit d = db.discardedCommit().orElseThrow();
      assertThat(d.txid()).isEqualTo(newestTxid);
      assertThat(d.openedTxid()).isEqualTo(newestTxid - 1);
      assertThat(d.reason()).contains("page " + leafOfZ).contains("checksum mismatch");
      assertThat(db.check())
          .singleElement()
          .satisfies(
              p -> {
                assertThat(p.severity()).isEqualTo(Severity.COMMIT);
                assertThat(p.kind()).isEqualTo("newest commit set aside at open");
                assertThat(p.detail()).contains("acknowledged commit may be lost");
              });
    }
  }

  @Test
  void shouldLogASetAsideCommitOnceAtOpen() throws IOException {
    byte[] bytes = original.clone();
    bytes[(newestTxid(bytes) & 1) * PAGE + 2000] ^= 1;
    Path file = Files.createTempFile(dir, "log", ".db");
    Files.write(file, bytes);
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.mmkit.kv");
    List<java.util.logging.LogRecord> records = new ArrayList<>();
    java.util.logging.Handler handler =
        new java.util.logging.Handler() {
          @Override
          public void publish(java.util.logging.LogRecord r) {
            records.add(r);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    logger.addHandler(handler);
    try (Db db = Db.open(file, DbOptions.defaults().readOnly(true))) {
      contents(db);
      db.check();
      db.check();
    } finally {
      logger.removeHandler(handler);
    }
    assertThat(records)
        .singleElement()
        .satisfies(
            r -> {
              assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.WARNING);
              assertThat(r.getMessage()).contains(file.toString()).contains("opened at txid");
            });
  }

  @Test
  void shouldReportDamageToEitherMetaPage() throws IOException {
    int newestTxid = newestTxid(original);
    int newestMeta = newestTxid & 1;
    for (int meta = 0; meta < 2; meta++) {
      byte[] bytes = original.clone();
      bytes[meta * PAGE + 2000] ^= 1;
      Path file = Files.createTempFile(dir, "m", ".db");
      Files.write(file, bytes);
      try (Db db = Db.open(file, DbOptions.defaults().readOnly(true))) {
        DiscardedCommit d = db.discardedCommit().orElseThrow();
        assertThat(d.metaPage()).isEqualTo(meta);
        assertThat(d.txid()).as("an unreadable meta page has no txid").isEqualTo(-1);
        assertThat(d.reason()).contains("checksum mismatch");
        TreeMap<String, byte[]> found = contents(db);
        assertThat(same(found, meta == newestMeta ? previous : expected))
            .as("damaged meta page %d", meta)
            .isTrue();
        assertThat(db.check())
            .singleElement()
            .satisfies(p -> assertThat(p.severity()).isEqualTo(Severity.COMMIT));
      }
    }
  }

  private static int newestTxid(byte[] bytes) {
    return (int)
        Math.max(
            Bytes.getLong(bytes, PageLayout.TXID), Bytes.getLong(bytes, PAGE + PageLayout.TXID));
  }

  private record Outcome(
      TreeMap<String, byte[]> contents, List<DbProblem> problems, Throwable failure) {}

  private Outcome attempt(byte[] bytes, int trial) {
    Path file = dir.resolve("t" + trial + ".db");
    try {
      Files.write(file, bytes);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () -> {
          try (Db db = Db.open(file, DbOptions.defaults().readOnly(true))) {
            TreeMap<String, byte[]> found = contents(db);
            return new Outcome(found, db.check(), null);
          } catch (RuntimeException e) {
            return new Outcome(null, List.of(), e);
          } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(file.resolveSibling(file.getFileName() + "-lock"));
          }
        });
  }

  @Test
  void shouldNameThePageOfAHostileCycle() throws IOException {
    byte[] bytes = original.clone();
    int branch = findPage(bytes, PageLayout.BRANCH);
    int el = branch * PAGE + PageLayout.HEADER_SIZE;
    Bytes.putLong(bytes, el + NodeLayout.BRANCH_CHILD, branch);
    Bytes.putLong(
        bytes,
        el + NodeLayout.BRANCH_CHILD_TXID,
        Bytes.getLong(bytes, branch * PAGE + PageLayout.TXID));
    reseal(bytes, branch);
    assertFailsNaming(bytes, branch);
  }

  @Test
  void shouldRejectChildBeyondTheFile() throws IOException {
    byte[] bytes = original.clone();
    int branch = findPage(bytes, PageLayout.BRANCH);
    Bytes.putLong(
        bytes, branch * PAGE + PageLayout.HEADER_SIZE + NodeLayout.BRANCH_CHILD, 1L << 30);
    reseal(bytes, branch);
    assertFailsNaming(bytes, branch);
  }

  @Test
  void shouldRejectKeysOutOfOrderWithValidChecksum() throws IOException {
    byte[] bytes = original.clone();
    int leaf = findPage(bytes, PageLayout.LEAF);
    int el = leaf * PAGE + PageLayout.HEADER_SIZE;
    byte[] first = Arrays.copyOfRange(bytes, el, el + NodeLayout.LEAF_ELEMENT);
    System.arraycopy(bytes, el + NodeLayout.LEAF_ELEMENT, bytes, el, NodeLayout.LEAF_ELEMENT);
    System.arraycopy(first, 0, bytes, el + NodeLayout.LEAF_ELEMENT, NodeLayout.LEAF_ELEMENT);
    reseal(bytes, leaf);
    assertFailsNaming(bytes, leaf);
  }

  @Test
  void shouldRejectAnEntryPointingOutsideItsPage() throws IOException {
    byte[] bytes = original.clone();
    int leaf = findPage(bytes, PageLayout.LEAF);
    Bytes.putU16(
        bytes, leaf * PAGE + PageLayout.HEADER_SIZE + NodeLayout.LEAF_KEY_OFFSET, PAGE - 2);
    reseal(bytes, leaf);
    assertFailsNaming(bytes, leaf);
  }

  @Test
  void shouldRejectAWrongPageType() throws IOException {
    byte[] bytes = original.clone();
    int leaf = findPage(bytes, PageLayout.LEAF);
    bytes[leaf * PAGE + PageLayout.TYPE] = (byte) 99;
    reseal(bytes, leaf);
    assertFailsNaming(bytes, leaf);
  }

  @Test
  void shouldListStructureProblemsFirstThenKeyCountsThenLeakedPages() throws IOException {
    byte[] bytes = original.clone();
    int branchOfA = findPage(bytes, PageLayout.BRANCH);
    List<Long> underA = pagesUnder(bytes, branchOfA);
    int leafOfC = bucketRoot(bytes, bucketRoot(bytes, rootPage(bytes), "b"), "c");
    assertThat(bytes[leafOfC * PAGE + PageLayout.TYPE]).isEqualTo((byte) PageLayout.LEAF);
    Arrays.fill(bytes, branchOfA * PAGE, (branchOfA + 1) * PAGE, (byte) 0);
    int el = leafOfC * PAGE + PageLayout.HEADER_SIZE;
    byte[] first = Arrays.copyOfRange(bytes, el, el + NodeLayout.LEAF_ELEMENT);
    System.arraycopy(bytes, el + NodeLayout.LEAF_ELEMENT, bytes, el, NodeLayout.LEAF_ELEMENT);
    System.arraycopy(first, 0, bytes, el + NodeLayout.LEAF_ELEMENT, NodeLayout.LEAF_ELEMENT);
    reseal(bytes, leafOfC);
    String keysOfA = new String(expected.get("/a/#count"));

    List<DbProblem> problems = check(bytes);

    assertThat(problems.subList(0, 4))
        .extracting(DbProblem::severity, DbProblem::kind, DbProblem::pageId, DbProblem::detail)
        .containsExactly(
            tuple(Severity.STRUCTURE, "page id mismatch", (long) branchOfA, "found=0, bucket=/a/"),
            tuple(Severity.STRUCTURE, "keys out of order", (long) leafOfC, "index=1, bucket=/b/c/"),
            tuple(
                Severity.COUNT,
                "bucket key count mismatch",
                (long) branchOfA,
                "bucket=/a/, header=" + keysOfA + ", found=0"),
            tuple(
                Severity.COUNT,
                "bucket key count mismatch",
                (long) leafOfC,
                "bucket=/b/c/, header=50, found=0"));
    List<DbProblem> leaked = problems.subList(4, problems.size());
    assertThat(leaked)
        .allSatisfy(
            p -> {
              assertThat(p.severity()).isEqualTo(Severity.SPACE);
              assertThat(p.kind()).isEqualTo("page is neither in use nor free (leaked)");
              assertThat(p.detail()).isEmpty();
            });
    assertThat(leaked).extracting(DbProblem::pageId).containsExactlyElementsOf(underA);
    assertThat(problems.get(0))
        .hasToString("page " + branchOfA + ": page id mismatch: found=0, bucket=/a/");
    assertThat(leaked.get(0))
        .hasToString("page " + underA.get(0) + ": page is neither in use nor free (leaked)");
  }

  /** Returns what {@link Db#check()} finds in a file holding {@code bytes}. */
  private List<DbProblem> check(byte[] bytes) throws IOException {
    Path file = Files.createTempFile(dir, "c", ".db");
    Files.write(file, bytes);
    try (Db db = Db.open(file, DbOptions.defaults().readOnly(true))) {
      return db.check();
    }
  }

  /**
   * Returns, in ascending order, the pages below level-1 branch {@code branch}: its leaves and the
   * overflow runs their entries name, read from the bytes as the format describes them.
   */
  private static List<Long> pagesUnder(byte[] bytes, int branch) {
    List<Long> pages = new ArrayList<>();
    int count = Bytes.getU16(bytes, branch * PAGE + PageLayout.COUNT);
    for (int i = 0; i < count; i++) {
      int at = branch * PAGE + PageLayout.HEADER_SIZE + i * NodeLayout.BRANCH_ELEMENT;
      int leaf = (int) Bytes.getLong(bytes, at + NodeLayout.BRANCH_CHILD);
      assertThat(bytes[leaf * PAGE + PageLayout.TYPE]).isEqualTo((byte) PageLayout.LEAF);
      pages.add((long) leaf);
      int entries = Bytes.getU16(bytes, leaf * PAGE + PageLayout.COUNT);
      for (int e = 0; e < entries; e++) {
        int el = leaf * PAGE + PageLayout.HEADER_SIZE + e * NodeLayout.LEAF_ELEMENT;
        if (bytes[el + NodeLayout.LEAF_FLAGS] != NodeLayout.OVERFLOW) {
          continue;
        }
        int ref =
            leaf * PAGE
                + Bytes.getU16(bytes, el + NodeLayout.LEAF_KEY_OFFSET)
                + Bytes.getU16(bytes, el + NodeLayout.LEAF_KEY_LENGTH);
        long run = Bytes.getLong(bytes, ref);
        long length = Bytes.getInt(bytes, el + NodeLayout.LEAF_VALUE_LENGTH);
        for (long p = 0; p < (PageLayout.HEADER_SIZE + length + PAGE - 1) / PAGE; p++) {
          pages.add(run + p);
        }
      }
    }
    Collections.sort(pages);
    return pages;
  }

  /** Returns the root page of the bucket named by the newest meta page. */
  private static int rootPage(byte[] bytes) {
    int meta =
        Bytes.getLong(bytes, PageLayout.TXID) > Bytes.getLong(bytes, PAGE + PageLayout.TXID)
            ? 0
            : 1;
    return (int) Bytes.getLong(bytes, meta * PAGE + 56);
  }

  /** Returns the root page of bucket {@code name}, an entry of leaf {@code leaf}. */
  private static int bucketRoot(byte[] bytes, int leaf, String name) {
    int entries = Bytes.getU16(bytes, leaf * PAGE + PageLayout.COUNT);
    for (int e = 0; e < entries; e++) {
      int el = leaf * PAGE + PageLayout.HEADER_SIZE + e * NodeLayout.LEAF_ELEMENT;
      int keyAt = leaf * PAGE + Bytes.getU16(bytes, el + NodeLayout.LEAF_KEY_OFFSET);
      int keyLength = Bytes.getU16(bytes, el + NodeLayout.LEAF_KEY_LENGTH);
      if (bytes[el + NodeLayout.LEAF_FLAGS] == NodeLayout.BUCKET
          && new String(bytes, keyAt, keyLength).equals(name)) {
        return (int) Bytes.getLong(bytes, keyAt + keyLength);
      }
    }
    throw new AssertionError("no bucket in leaf: name=" + name + ", leaf=" + leaf);
  }

  @Test
  void shouldRejectWrongMagicAndVersion() throws IOException {
    byte[] bytes = original.clone();
    Bytes.putLong(bytes, 32, 0x1234);
    Bytes.putLong(bytes, PAGE + 32, 0x1234);
    assertThatThrownBy(() -> attemptOrThrow(bytes))
        .isInstanceOf(CorruptDbException.class)
        .hasMessageContaining("not an mmkit-kv database");
    byte[] versioned = original.clone();
    Bytes.putInt(versioned, 40, 99);
    Bytes.putInt(versioned, PAGE + 40, 99);
    assertThatThrownBy(() -> attemptOrThrow(versioned)).isInstanceOf(CorruptDbException.class);
  }

  @Test
  void shouldRejectATruncatedFileAtOpen() throws IOException {
    byte[] bytes = Arrays.copyOf(original, 3 * PAGE);
    assertThatThrownBy(() -> attemptOrThrow(bytes))
        .isInstanceOf(CorruptDbException.class)
        .hasMessageContaining("no meta page describes a whole commit")
        .hasMessageContaining("file shorter than the commit");
  }

  @Test
  void shouldFailCleanlyWhenAnotherProgramShrinksTheFile() throws IOException {
    Path file = dir.resolve("shrunk.db");
    Files.write(file, original);
    try (Db db = Db.open(file, DbOptions.defaults().readOnly(true))) {
      try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
        raf.setLength(3 * PAGE);
      }
      assertThatThrownBy(() -> contents(db))
          .isInstanceOfAny(TruncatedException.class, CorruptException.class)
          .hasMessageContaining("file=");
      assertThatThrownBy(() -> db.view(tx -> tx.bucket("a").getBytes(key(1400))))
          .isInstanceOfAny(TruncatedException.class, CorruptException.class);
    }
  }

  private void assertFailsNaming(byte[] bytes, int page) {
    assertThat(Bytes.getLong(bytes, page * PAGE + PageLayout.TXID))
        .as("a page of an older commit than the newest")
        .isLessThan(newestTxid(bytes));
    assertThatThrownBy(() -> attemptOrThrow(bytes))
        .isInstanceOf(CorruptDbException.class)
        .hasMessageContaining("page=" + page)
        .satisfies(e -> assertThat(((CorruptDbException) e).pageId()).isEqualTo(page));
  }

  private void attemptOrThrow(byte[] bytes) throws IOException {
    Path file = Files.createTempFile(dir, "h", ".db");
    Files.write(file, bytes);
    try (Db db = Db.open(file, DbOptions.defaults().readOnly(true))) {
      contents(db);
    }
  }

  /** Returns the live root branch of bucket "a" or its first leaf, found from the newest meta. */
  private static int findPage(byte[] bytes, int type) {
    int meta =
        Bytes.getLong(bytes, PageLayout.TXID) > Bytes.getLong(bytes, PAGE + PageLayout.TXID)
            ? 0
            : 1;
    int root = (int) Bytes.getLong(bytes, meta * PAGE + 56);
    int el = root * PAGE + PageLayout.HEADER_SIZE;
    assertThat(bytes[root * PAGE + PageLayout.TYPE]).isEqualTo((byte) PageLayout.LEAF);
    int keyOff = Bytes.getU16(bytes, el + NodeLayout.LEAF_KEY_OFFSET);
    assertThat((char) bytes[root * PAGE + keyOff]).isEqualTo('a');
    int branch = (int) Bytes.getLong(bytes, root * PAGE + keyOff + 1);
    assertThat(bytes[branch * PAGE + PageLayout.TYPE]).isEqualTo((byte) PageLayout.BRANCH);
    assertThat(bytes[branch * PAGE + PageLayout.LEVEL]).isEqualTo((byte) 1);
    if (type == PageLayout.BRANCH) {
      return branch;
    }
    return (int)
        Bytes.getLong(bytes, branch * PAGE + PageLayout.HEADER_SIZE + NodeLayout.BRANCH_CHILD);
  }

  private static void reseal(byte[] bytes, int page) {
    byte[] copy = Arrays.copyOfRange(bytes, page * PAGE, (page + 1) * PAGE);
    Checksums.seal(copy);
    System.arraycopy(copy, 0, bytes, page * PAGE, PAGE);
  }

  private static byte[] key(int i) {
    return ByteBuffer.allocate(4).putInt(i).array();
  }

  private static byte[] value(Random r, int size) {
    byte[] v = new byte[size];
    r.nextBytes(v);
    return v;
  }

  static boolean same(TreeMap<String, byte[]> a, TreeMap<String, byte[]> b) {
    if (a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<String, byte[]> e : a.entrySet()) {
      if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  static TreeMap<String, byte[]> contents(Db db) {
    TreeMap<String, byte[]> out = new TreeMap<>();
    db.view(tx -> collect(tx.root(), "/", out));
    return out;
  }

  private static void collect(Bucket b, String path, TreeMap<String, byte[]> out) {
    out.put(path + "#count", Long.toString(b.count()).getBytes());
    out.put(path + "#sequence", Long.toString(b.sequence()).getBytes());
    Cursor c = b.cursor();
    for (boolean ok = c.first(); ok; ok = c.next()) {
      out.put(path + java.util.HexFormat.of().formatHex(c.keyBytes()), c.valueBytes());
    }
    for (byte[] name : b.bucketNames()) {
      collect(b.bucket(name), path + new String(name) + "/", out);
    }
  }
}
