package dev.mmkit.kv.internal.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.kv.DbOptions;
import dev.mmkit.kv.Durability;
import dev.mmkit.kv.internal.check.Inspector;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import dev.mmkit.kv.internal.storage.FileChannelPageFile;
import dev.mmkit.kv.internal.storage.StoreFile;
import dev.mmkit.kv.internal.txn.TxnState;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * BucketTreeTest puts a test on each side of the bytes a node of a {@link BucketTree} may hold in
 * memory before it splits, shows it reached that side, then that the data is intact and the file
 * passes the checker.
 */
class BucketTreeTest {
  @TempDir Path dir;

  private StoreFile open(String name) {
    return StoreFile.open(
        dir.resolve(name),
        DbOptions.defaults().durability(Durability.NO_SYNC),
        FileChannelPageFile::open);
  }

  /**
   * A node holds up to eight pages' worth of entries in memory before it splits: a leaf of exactly
   * that size stays whole, one more entry splits it.
   */
  @Test
  void shouldKeepALeafOfEightPagesWholeAndSplitItAtOneMoreEntry() {
    int limit = 8 * 4096;
    int entry = 1023;
    int entries = (limit - PageLayout.HEADER_SIZE) / entry;
    assertThat(PageLayout.HEADER_SIZE + entries * entry)
        .as("entries fill the limit")
        .isEqualTo(limit);
    try (StoreFile store = open("node.db")) {
      TxnState tx = TxnState.write(store);
      BucketTree b = tx.root().createBucket("b".getBytes(UTF_8), false);
      for (int i = 0; i < entries; i++) {
        b.put(key(i), new byte[entry - NodeLayout.LEAF_ELEMENT - key(i).length]);
      }
      assertThat(b.rootNode.size).isEqualTo(limit);
      assertThat(b.rootNode.leaf).as("at the limit: one leaf").isTrue();
      b.put(key(entries), new byte[1]);
      assertThat(b.rootNode.leaf).as("past the limit: split under a branch").isFalse();
      assertThat(b.rootNode.entries.size()).isEqualTo(2);
      for (int i = 0; i <= entries; i++) {
        assertThat(b.getBytes(key(i))).as("key %d", i).isNotNull();
      }
      tx.commit();
      assertThat(Inspector.run(store).problems()).isEmpty();
    }
  }

  private static byte[] key(int i) {
    return String.format("key%05d", i).getBytes(UTF_8);
  }
}
