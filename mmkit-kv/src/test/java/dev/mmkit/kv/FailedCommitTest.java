package dev.mmkit.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.MmkitException;
import dev.mmkit.kv.internal.storage.FileChannelPageFile;
import dev.mmkit.kv.internal.storage.PageFile;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * FailedCommitTest checks that a commit which failed after writing some of its pages cannot make a
 * later commit look whole. The failed commit's pages stay in the file with its txid; the next
 * commit on the same base allocates the same pages. If it reused the txid and lost its own page
 * writes (a power loss that kept only its meta page), the next open would take the stale pages for
 * its own and come up with a tree of the failed commit under the later commit's meta.
 */
class FailedCommitTest {
  private static final int KEYS = 500;

  @TempDir Path dir;

  @Test
  void shouldNeverTakeAFailedCommitsPagesForALaterCommitsOwn() throws Exception {
    Path file = dir.resolve("failed.db");
    Faults faults = new Faults();
    try (Db db = Db.open(file, DbOptions.defaults(), faults::open)) {
      db.update(tx -> fill(tx, "base"));
      faults.failMetaWrite = true;
      assertThatThrownBy(() -> db.update(tx -> fill(tx, "failed")))
          .isInstanceOf(MmkitException.class)
          .hasMessageContaining("commit failed");
      faults.failMetaWrite = false;
      faults.dropPageWrites = true;
      db.update(tx -> fill(tx, "lost"));
      faults.dropPageWrites = false;
      assertThat(faults.dropped).as("the later commit's page writes were lost").isPositive();
    }
    try (Db db = Db.open(file)) {
      assertThat(db.discardedCommit()).as("the later commit is not whole").isPresent();
      TreeMap<String, String> found = new TreeMap<>();
      db.view(
          tx -> {
            Cursor c = tx.bucket("b").cursor();
            for (boolean ok = c.first(); ok; ok = c.next()) {
              found.put(new String(c.keyBytes(), UTF_8), new String(c.valueBytes(), UTF_8));
            }
          });
      assertThat(found).hasSize(KEYS).allSatisfy((k, v) -> assertThat(v).startsWith("base-"));
      assertThat(db.check())
          .singleElement()
          .satisfies(p -> assertThat(p.severity()).isEqualTo(DbProblem.Severity.COMMIT));
    }
  }

  private static void fill(Tx tx, String prefix) {
    Bucket b = tx.createBucketIfAbsent("b");
    for (int i = 0; i < KEYS; i++) {
      b.put("k" + i, prefix + "-" + i + "-" + "x".repeat(80));
    }
  }

  /**
   * Opens page files that fail the meta page write ({@code failMetaWrite}) or silently drop every
   * write past the meta pages ({@code dropPageWrites}).
   */
  private static final class Faults {
    volatile boolean failMetaWrite;
    volatile boolean dropPageWrites;
    volatile int dropped;

    PageFile open(Path path, boolean writable) throws IOException {
      return new ForwardingPageFile(FileChannelPageFile.open(path, writable)) {
        @Override
        public void write(ByteBuffer source, long position) throws IOException {
          boolean meta = position < 2L * DbOptions.defaults().pageSize();
          if (meta && failMetaWrite) {
            throw new IOException("meta page write failed (test)");
          }
          if (!meta && dropPageWrites) {
            dropped++;
            source.position(source.limit());
            return;
          }
          super.write(source, position);
        }
      };
    }
  }
}
