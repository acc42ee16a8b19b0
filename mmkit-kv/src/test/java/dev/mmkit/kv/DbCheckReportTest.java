package dev.mmkit.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.mmkit.kv.DbProblem.Severity;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** DbCheckReportTest checks what a check reports when it finds more problems than it keeps. */
class DbCheckReportTest {
  private static final int PAGE = 4096;

  @TempDir Path dir;

  @Test
  void shouldCountTheProblemsItDoesNotKeep() throws IOException {
    Path file = dir.resolve("big.db");
    DbStats before;
    long pageCount;
    try (Db db = Db.open(file, DbOptions.defaults().durability(Durability.NO_SYNC))) {
      db.update(
          tx -> {
            Bucket b = tx.createBucket("b".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 4000; i++) {
              b.put(ByteBuffer.allocate(4).putInt(i).array(), new byte[1000]);
            }
          });
      before = db.stats();
      // A newer commit elsewhere, so that the damage below hits a page of an older commit (damage
      // to the newest commit's pages sets that commit aside instead).
      db.update(tx -> tx.createBucketIfAbsent("z").put("k", "v"));
      assertThat(db.checkReport().ok()).isTrue();
      pageCount = db.stats().pageCount();
    }
    assertThat(before.overflowPages()).isZero();
    // Below the root of b: every tree page but the root bucket's one leaf and b's root itself.
    long leaked = before.branchPages() + before.leafPages() - 2;
    assertThat(leaked).as("more pages below the root than a check keeps").isGreaterThan(1000);
    byte[] bytes = Files.readAllBytes(file);
    int meta =
        Bytes.getLong(bytes, PageLayout.TXID) > Bytes.getLong(bytes, PAGE + PageLayout.TXID)
            ? 0
            : 1;
    int root = rootOfFirstBucket((int) Bytes.getLong(bytes, meta * PAGE + 56), bytes);
    Arrays.fill(bytes, root * PAGE, (root + 1) * PAGE, (byte) 0);
    Files.write(file, bytes);

    try (Db db = Db.open(file, DbOptions.defaults().readOnly(true))) {
      DbCheckReport report = db.checkReport();

      assertThat(report.ok()).isFalse();
      assertThat(report.problems()).hasSize(1000);
      assertThat(report.found()).isEqualTo(leaked + 2);
      assertThat(report.dropped()).isEqualTo(leaked + 2 - 1000);
      assertThat(report.pageCount()).isEqualTo(pageCount);
      assertThat(report.problems().subList(0, 2))
          .extracting(DbProblem::severity, DbProblem::kind, DbProblem::pageId)
          .containsExactly(
              tuple(Severity.STRUCTURE, "page id mismatch", (long) root),
              tuple(Severity.COUNT, "bucket key count mismatch", (long) root));
      assertThat(db.check()).isEqualTo(report.problems());
    }
  }

  /** Returns the root page of the first entry, a bucket, of leaf {@code leaf}. */
  private static int rootOfFirstBucket(int leaf, byte[] bytes) {
    int el = leaf * PAGE + PageLayout.HEADER_SIZE;
    assertThat(bytes[el + NodeLayout.LEAF_FLAGS]).isEqualTo((byte) NodeLayout.BUCKET);
    int keyAt = leaf * PAGE + Bytes.getU16(bytes, el + NodeLayout.LEAF_KEY_OFFSET);
    int keyLength = Bytes.getU16(bytes, el + NodeLayout.LEAF_KEY_LENGTH);
    return (int) Bytes.getLong(bytes, keyAt + keyLength);
  }
}
