package dev.mmkit.kv.internal.tree;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.DbOptions;
import dev.mmkit.kv.Durability;
import dev.mmkit.kv.internal.check.Inspector;
import dev.mmkit.kv.internal.storage.FileChannelPageFile;
import dev.mmkit.kv.internal.storage.StoreFile;
import dev.mmkit.kv.internal.txn.TxnState;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * StrictCheckTest breaks the in-memory tree of a write transaction on purpose, the way an engine
 * bug would, and shows that a strict commit refuses to write it — the database stays at its
 * previous commit and passes its check — while a commit without strict mode writes the broken tree
 * and only the checker finds it afterwards.
 */
class StrictCheckTest {
  private static final int KEYS = 3000;

  @TempDir Path dir;

  @Test
  void shouldBeOnInEveryTestRun() {
    assertThat(DbOptions.defaults().strict())
        .as("the build sets " + DbOptions.STRICT_ENVIRONMENT_VARIABLE + " for every test JVM")
        .isTrue();
  }

  @Test
  void shouldRefuseBranchSeparatorsOutOfOrder() {
    assertRefusedWithStrictAndWrittenWithout(
        "keys out of order",
        tree -> {
          tree.materializePath(key(KEYS / 2));
          ((BranchEntries) tree.rootNode.entries).setKey(1, key(KEYS - 1));
        });
  }

  @Test
  void shouldRefuseALeafHoldingAKeyAtOrAboveTheNextSeparator() {
    assertRefusedWithStrictAndWrittenWithout(
        "at or above the next separator",
        tree -> {
          Node leaf = tree.materializePath(key(0));
          byte[] stray = key(KEYS / 2);
          leaf.placeInline(leaf.search(stray), stray, new byte[8]);
        });
  }

  @Test
  void shouldRefuseASeparatorAboveTheKeysOfAnUnchangedChild() {
    assertRefusedWithStrictAndWrittenWithout(
        "separator above a key of its child",
        tree -> {
          tree.materializePath(key(KEYS - 1));
          Node root = tree.rootNode;
          int unchanged = 1;
          assertThat(root.entries.get(unchanged).child).as("child still on its page").isNull();
          byte[] raised = root.entries.key(unchanged).clone();
          raised[raised.length - 1]++;
          ((BranchEntries) root.entries).setKey(unchanged, raised);
        });
  }

  /**
   * Commits {@link #KEYS} keys, then lets {@code breakTree} damage a second transaction's tree
   * after one put: with strict mode the commit fails and the first commit stays intact; without it
   * the commit succeeds and the checker reports the damage.
   */
  private void assertRefusedWithStrictAndWrittenWithout(
      String problem, Consumer<BucketTree> breakTree) {
    Path strictFile = dir.resolve("strict.db");
    try (StoreFile store = populated(strictFile, true)) {
      long before = store.latest().txid();
      TxnState tx = TxnState.write(store);
      BucketTree tree = tx.root().bucket("b".getBytes(UTF_8));
      tree.put(key(KEYS - 1), new byte[9]);
      breakTree.accept(tree);
      assertThatThrownBy(tx::commit)
          .isInstanceOf(CorruptDbException.class)
          .hasMessageContaining("strict check refused the commit")
          .hasMessageContaining(problem);
      assertThat(store.latest().txid()).isEqualTo(before);
      assertThat(Inspector.run(store).problems()).isEmpty();
      assertAllKeysPresent(store);
    }
    Path laxFile = dir.resolve("lax.db");
    try (StoreFile store = populated(laxFile, false)) {
      TxnState tx = TxnState.write(store);
      BucketTree tree = tx.root().bucket("b".getBytes(UTF_8));
      tree.put(key(KEYS - 1), new byte[9]);
      breakTree.accept(tree);
      tx.commit();
      assertThat(Inspector.run(store).problems()).as("what strict mode kept out").isNotEmpty();
    }
  }

  private static StoreFile populated(Path file, boolean strict) {
    DbOptions options = DbOptions.defaults().durability(Durability.NO_SYNC).strict(strict);
    StoreFile store = StoreFile.open(file, options, FileChannelPageFile::open);
    TxnState tx = TxnState.write(store);
    BucketTree b = tx.root().createBucket("b".getBytes(UTF_8), false);
    for (int i = 0; i < KEYS; i++) {
      b.put(key(i), new byte[100]);
    }
    tx.commit();
    return store;
  }

  private static void assertAllKeysPresent(StoreFile store) {
    TxnState tx = TxnState.read(store);
    try {
      BucketTree b = tx.root().bucket("b".getBytes(UTF_8));
      for (int i = 0; i < KEYS; i++) {
        assertThat(b.getBytes(key(i))).as("key %d", i).hasSize(100);
      }
      assertThat(b.count()).isEqualTo(KEYS);
    } finally {
      tx.rollback();
    }
  }

  private static byte[] key(int i) {
    return String.format("key%06d", i).getBytes(UTF_8);
  }
}
