package dev.mmkit.kv.internal.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.kv.DbOptions;
import dev.mmkit.kv.Durability;
import dev.mmkit.kv.internal.check.Inspector;
import dev.mmkit.kv.internal.page.FreelistLayout;
import dev.mmkit.kv.internal.page.FreelistRecord;
import dev.mmkit.kv.internal.page.Meta;
import dev.mmkit.kv.internal.tree.BucketTree;
import dev.mmkit.kv.internal.tree.PageCursor;
import dev.mmkit.kv.internal.tree.PageWalker;
import dev.mmkit.kv.internal.txn.TxnState;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * FreelistPropertyTest drives page allocation with random commits (puts, overwrites with other
 * sizes, deletes, values past a page) and readers that open and close at random, and checks after
 * every commit, from the pages alone: the pages a commit wrote are each written once, and none of
 * them is a page that the commit before it, or any open reader's snapshot, can reach — so a page
 * stays put while anyone can see it — and the deltas after the freelist's checkpoint stay within
 * four times its pages (at least 16). Each reader still reads exactly its snapshot. When the
 * readers are gone, rewriting everything again and again does not grow the file: freed pages are
 * reused.
 */
class FreelistPropertyTest {
  private Path dir;

  @BeforeTry
  void createDirectory() throws IOException {
    dir = Files.createTempDirectory("mmkv-freelist-");
  }

  @AfterTry
  void deleteDirectory() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Op is one step: a commit of {@code changes} random changes, or a reader opening or closing. */
  record Op(int kind, int changes, long seed) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Arbitraries.integers()
        .between(0, 9)
        .flatMap(
            k ->
                Arbitraries.integers()
                    .between(1, 400)
                    .flatMap(n -> Arbitraries.longs().map(s -> new Op(k, n, s))))
        .list()
        .ofMinSize(10)
        .ofMaxSize(60);
  }

  @Property(tries = 40)
  void shouldNeverWriteOverAPageAnyoneCanStillReach(@ForAll("ops") List<Op> ops) {
    DbOptions options = DbOptions.defaults().durability(Durability.NO_SYNC);
    try (StoreFile store =
        StoreFile.open(dir.resolve("free.db"), options, FileChannelPageFile::open)) {
      TreeMap<Integer, Integer> model = new TreeMap<>();
      List<Reader> readers = new ArrayList<>();
      for (Op op : ops) {
        if (op.kind() < 6) {
          commit(store, model, op, readers);
        } else if (op.kind() < 8 || readers.isEmpty()) {
          readers.add(new Reader(TxnState.read(store), new TreeMap<>(model)));
        } else {
          readers.remove((int) (op.seed() & 0x7FFFFFFF) % readers.size()).close();
        }
      }
      for (Reader r : readers) {
        r.close();
      }
      assertThat(Inspector.run(store).problems()).isEmpty();
      assertFreedPagesAreReused(store, model);
    }
  }

  /** A reader's transaction, the content it must see, and the pages its snapshot reaches. */
  private record Reader(TxnState tx, TreeMap<Integer, Integer> expected, BitSet reachable) {
    Reader(TxnState tx, TreeMap<Integer, Integer> expected) {
      this(tx, expected, FreelistPropertyTest.reachable(tx.snapshot()));
    }

    void close() {
      assertThat(contents(tx)).as("a reader sees its snapshot to the end").isEqualTo(expected);
      tx.rollback();
    }
  }

  private static void commit(
      StoreFile store, TreeMap<Integer, Integer> model, Op op, List<Reader> readers) {
    TxnState tx = TxnState.write(store);
    long baseTxid = tx.txid() - 1;
    BitSet before = reachable(tx.snapshot());
    BucketTree b = tx.root().createBucket("b".getBytes(), true);
    SplittableRandom random = new SplittableRandom(op.seed());
    for (int i = 0; i < op.changes(); i++) {
      int key = random.nextInt(3000);
      if (random.nextInt(4) == 0) {
        b.delete(key(key));
        model.remove(key);
      } else {
        int size = random.nextInt(30) == 0 ? 5000 + random.nextInt(9000) : random.nextInt(200);
        b.put(key(key), value(key, size));
        model.put(key, size);
      }
    }
    tx.commit();
    TxnState after = TxnState.read(store);
    try {
      // A transaction whose changes cancel out (deletes of absent keys) commits nothing.
      BitSet written = after.txid() == baseTxid ? new BitSet() : written(after.snapshot());
      Meta meta = after.snapshot().meta();
      assertThat(meta.deltaPages())
          .as("delta pages after a checkpoint of %d pages", meta.checkpointPages())
          .isLessThanOrEqualTo(Math.max(16, 4 * meta.checkpointPages()));
      assertThat(written.intersects(before))
          .as("a commit wrote over a page of the commit before it: %s", overlap(written, before))
          .isFalse();
      for (Reader r : readers) {
        assertThat(written.intersects(r.reachable()))
            .as(
                "a commit wrote over a page an open reader reaches: %s",
                overlap(written, r.reachable()))
            .isFalse();
        assertThat(contents(r.tx())).isEqualTo(r.expected());
      }
      assertThat(contents(after)).isEqualTo(model);
    } finally {
      after.rollback();
    }
  }

  /**
   * Rewrites every key, with all readers gone, many times: the page count must stay close to what
   * it settled at, which it could not if freed pages were not reused.
   */
  private static void assertFreedPagesAreReused(StoreFile store, TreeMap<Integer, Integer> model) {
    long settled = 0;
    for (int round = 0; round < 24; round++) {
      TxnState tx = TxnState.write(store);
      BucketTree b = tx.root().createBucket("b".getBytes(), true);
      for (Map.Entry<Integer, Integer> e : model.entrySet()) {
        b.put(key(e.getKey()), value(e.getKey() + round, e.getValue()));
      }
      tx.commit();
      if (round == 8) {
        settled = store.latest().pageCount();
      }
    }
    // Without reuse each rewrite would add about a settled file's worth of pages; with it, the
    // count drifts by at most a little (free runs too short for a new overflow value).
    assertThat(store.latest().pageCount())
        .as("page count after 16 more full rewrites")
        .isLessThanOrEqualTo(settled + settled / 4 + 16);
  }

  /** Returns the pages the newest commit wrote: its freelist record and the runs it lists. */
  private static BitSet written(Snapshot s) {
    return s.read(
        () -> {
          BitSet pages = new BitSet();
          FreelistRecord record = FreelistRecord.readHead(s, s.meta());
          for (long p : record.pages()) {
            assertThat(pages.get((int) p)).as("record page %d listed twice", p).isFalse();
            pages.set((int) p);
          }
          for (long run : record.body(s).writtenRuns()) {
            int from = (int) FreelistLayout.runStart(run);
            int to = from + (int) FreelistLayout.runLength(run);
            assertThat(pages.get(from, to).isEmpty())
                .as("pages %d..%d written twice by one commit", from, to)
                .isTrue();
            pages.set(from, to);
          }
          return pages;
        });
  }

  /** Returns every page a snapshot reaches: tree pages, overflow runs and its freelist chain. */
  private static BitSet reachable(Snapshot s) {
    return s.read(
        () -> {
          BitSet pages = new BitSet();
          PageWalker.visit(
              s, s.meta().root(), (first, count) -> pages.set((int) first, (int) (first + count)));
          if (s.meta().freelistHead() != 0) {
            for (FreelistRecord r : FreelistRecord.readChain(s, s.meta())) {
              for (long p : r.pages()) {
                pages.set((int) p);
              }
            }
          }
          return pages;
        });
  }

  private static String overlap(BitSet a, BitSet b) {
    BitSet both = (BitSet) a.clone();
    both.and(b);
    return both.toString();
  }

  private static TreeMap<Integer, Integer> contents(TxnState tx) {
    TreeMap<Integer, Integer> out = new TreeMap<>();
    BucketTree b = tx.root().bucket("b".getBytes());
    if (b == null) {
      return out;
    }
    PageCursor c = b.cursor();
    for (boolean ok = c.first(); ok; ok = c.next()) {
      int key = ByteBuffer.wrap(c.keyBytes()).getInt();
      byte[] v = c.valueBytes();
      assertThat(v).isEqualTo(value(key, v.length));
      out.put(key, v.length);
    }
    return out;
  }

  private static byte[] key(int k) {
    return ByteBuffer.allocate(4).putInt(k).array();
  }

  private static byte[] value(int seed, int size) {
    byte[] v = new byte[size];
    Arrays.fill(v, (byte) seed);
    return v;
  }
}
