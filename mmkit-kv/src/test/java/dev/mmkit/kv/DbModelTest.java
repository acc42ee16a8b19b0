package dev.mmkit.kv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * DbModelTest runs random sequences of puts, deletes, bucket operations, sequences, commits,
 * rollbacks, reopenings and long readers against the database and an in-memory model, with a full
 * consistency check after every commit.
 */
class DbModelTest {
  private static final Comparator<byte[]> ORDER = Arrays::compareUnsigned;
  private Path dir;

  @BeforeTry
  void createDirectory() throws IOException {
    dir = Files.createTempDirectory("mmkv-model-");
  }

  @AfterTry
  void deleteDirectory() throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** Model is one bucket: values and nested buckets in one key space. */
  static final class Model {
    final TreeMap<byte[], byte[]> values = new TreeMap<>(ORDER);
    final TreeMap<byte[], Model> buckets = new TreeMap<>(ORDER);
    long sequence;

    Model copy() {
      Model m = new Model();
      m.values.putAll(values);
      for (Map.Entry<byte[], Model> e : buckets.entrySet()) {
        m.buckets.put(e.getKey(), e.getValue().copy());
      }
      m.sequence = sequence;
      return m;
    }
  }

  sealed interface Op {}

  record Put(List<String> path, byte[] key, int valueSize, int seed) implements Op {}

  record Delete(List<String> path, byte[] key) implements Op {}

  record BulkPut(List<String> path, int from, int count, boolean shuffled) implements Op {}

  record DeleteRange(List<String> path, int from, int count) implements Op {}

  record CreateBucket(List<String> path) implements Op {}

  record DeleteBucket(List<String> path) implements Op {}

  record NextSequence(List<String> path) implements Op {}

  record Commit() implements Op {}

  record Rollback() implements Op {}

  record Reopen() implements Op {}

  record OpenReader() implements Op {}

  record CloseReader() implements Op {}

  record VerifyInTx() implements Op {}

  /**
   * A large batch in the open write transaction: {@code count} operations on random keys of 1 to
   * {@code maxKey} bytes (or keys in ascending or descending order), mostly puts of values up to
   * {@code maxValue} bytes with one in a hundred past a page, some overwrites and deletes of keys
   * already there.
   */
  record LargeBatch(List<String> path, int count, int order, int maxKey, int maxValue, long seed)
      implements Op {}

  @Provide
  Arbitrary<List<Op>> ops() {
    Arbitrary<List<String>> path =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(2, Arbitraries.just(List.of())),
            net.jqwik.api.Tuple.of(5, Arbitraries.of("a", "b", "k1").map(List::of)),
            net.jqwik.api.Tuple.of(
                2,
                Combinators.combine(Arbitraries.of("a", "b"), Arbitraries.of("x", "k2"))
                    .as(List::of)));
    Arbitrary<byte[]> key =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(
                10, Arbitraries.integers().between(0, 60).map(i -> ("k" + i).getBytes(UTF_8))),
            net.jqwik.api.Tuple.of(1, Arbitraries.of("a", "b", "x").map(s -> s.getBytes(UTF_8))),
            net.jqwik.api.Tuple.of(
                1,
                Arbitraries.integers()
                    .between(900, 1024)
                    .map(n -> ("L" + n).repeat(300).substring(0, n).getBytes(UTF_8))));
    Arbitrary<Integer> valueSize =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(10, Arbitraries.integers().between(0, 100)),
            net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(1000, 3000)),
            net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(5000, 70000)));
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(
                30,
                Combinators.combine(path, key, valueSize, Arbitraries.integers())
                    .as((p, k, v, s) -> (Op) new Put(p, k, v, s))),
            net.jqwik.api.Tuple.of(
                10, Combinators.combine(path, key).as((p, k) -> (Op) new Delete(p, k))),
            net.jqwik.api.Tuple.of(
                4,
                Combinators.combine(
                        path,
                        Arbitraries.integers().between(0, 3000),
                        Arbitraries.integers().between(10, 600),
                        Arbitraries.of(true, false))
                    .as((p, f, c, s) -> (Op) new BulkPut(p, f, c, s))),
            net.jqwik.api.Tuple.of(
                3,
                Combinators.combine(
                        path,
                        Arbitraries.integers().between(0, 3000),
                        Arbitraries.integers().between(10, 800))
                    .as((p, f, c) -> (Op) new DeleteRange(p, f, c))),
            net.jqwik.api.Tuple.of(6, path.map(p -> (Op) new CreateBucket(p))),
            net.jqwik.api.Tuple.of(2, path.map(p -> (Op) new DeleteBucket(p))),
            net.jqwik.api.Tuple.of(2, path.map(p -> (Op) new NextSequence(p))),
            net.jqwik.api.Tuple.of(8, Arbitraries.just((Op) new Commit())),
            net.jqwik.api.Tuple.of(2, Arbitraries.just((Op) new Rollback())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just((Op) new Reopen())),
            net.jqwik.api.Tuple.of(2, Arbitraries.just((Op) new OpenReader())),
            net.jqwik.api.Tuple.of(2, Arbitraries.just((Op) new CloseReader())),
            net.jqwik.api.Tuple.of(2, Arbitraries.just((Op) new VerifyInTx())));
    return op.list().ofMinSize(5).ofMaxSize(100);
  }

  /**
   * Sequences of a few operations among which large batches of 50,000 to 250,000 operations, so
   * that one transaction grows nodes, leaf arrays and trees far past their first splits and resizes
   * before it commits.
   */
  @Provide
  Arbitrary<List<Op>> largeOps() {
    Arbitrary<List<String>> path =
        Arbitraries.of(List.of(), List.of("a"), List.of("a", "x"), List.of("b"));
    Arbitrary<Op> batch =
        Combinators.combine(
                path,
                Arbitraries.integers().between(50_000, 250_000),
                Arbitraries.integers().between(0, 2),
                Arbitraries.of(16, 64, 1024),
                Arbitraries.of(0, 100, 400, 1500),
                Arbitraries.longs())
            .as((p, c, o, k, v, s) -> (Op) new LargeBatch(p, c, o, k, v, s));
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            net.jqwik.api.Tuple.of(6, batch),
            net.jqwik.api.Tuple.of(3, path.map(p -> (Op) new CreateBucket(p))),
            net.jqwik.api.Tuple.of(4, Arbitraries.just((Op) new Commit())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just((Op) new Rollback())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just((Op) new Reopen())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just((Op) new OpenReader())),
            net.jqwik.api.Tuple.of(1, Arbitraries.just((Op) new CloseReader())));
    return op.list().ofMinSize(2).ofMaxSize(6);
  }

  @Property(tries = 100)
  void shouldMatchTheModel(@ForAll("ops") List<Op> ops) {
    new Run(dir.resolve("model.db")).execute(ops);
  }

  @Property(tries = 6, shrinking = net.jqwik.api.ShrinkingMode.OFF)
  void shouldMatchTheModelInLargeTransactions(@ForAll("largeOps") List<Op> ops) {
    new Run(dir.resolve("large.db")).execute(ops);
  }

  /** Run applies one sequence of operations to a database and the model. */
  static final class Run {
    private final Path file;
    private Db db;
    private Tx tx;
    private Model committed = new Model();
    private Model working;
    private Tx reader;
    private Model readerModel;

    Run(Path file) {
      this.file = file;
    }

    void execute(List<Op> ops) {
      db = open();
      try {
        for (Op op : ops) {
          apply(op);
        }
        if (tx != null) {
          commit();
        }
        closeReader();
        verify(db, committed);
        db.close();
        db = open();
        verify(db, committed);
        assertThat(db.check()).isEmpty();
      } finally {
        if (reader != null) {
          reader.close();
        }
        if (tx != null) {
          tx.close();
        }
        db.close();
      }
    }

    private Db open() {
      return Db.open(
          file, DbOptions.defaults().durability(Durability.NO_SYNC).checkAfterCommit(true));
    }

    private void apply(Op op) {
      switch (op) {
        case Put p -> put(p);
        case Delete d -> delete(d.path(), d.key());
        case BulkPut b -> bulkPut(b);
        case LargeBatch l -> largeBatch(l);
        case DeleteRange d -> {
          for (int i = d.from(); i < d.from() + d.count(); i++) {
            delete(d.path(), bulkKey(i));
          }
        }
        case CreateBucket c -> createBucket(c.path());
        case DeleteBucket d -> deleteBucket(d.path());
        case NextSequence n -> nextSequence(n.path());
        case Commit c -> commit();
        case Rollback r -> {
          if (tx != null) {
            tx.rollback();
            tx = null;
          }
        }
        case Reopen r -> {
          if (tx != null) {
            tx.rollback();
            tx = null;
          }
          closeReader();
          db.close();
          db = open();
          verify(db, committed);
        }
        case OpenReader o -> {
          if (reader == null) {
            reader = db.beginRead();
            readerModel = committed.copy();
          }
        }
        case CloseReader c -> closeReader();
        case VerifyInTx v -> {
          if (tx != null) {
            verifyBucket(tx.root(), working);
          }
        }
      }
    }

    private void closeReader() {
      if (reader != null) {
        verifyBucket(reader.root(), readerModel);
        reader.close();
        reader = null;
      }
    }

    private Tx tx() {
      if (tx == null) {
        tx = db.beginWrite();
        working = committed.copy();
      }
      return tx;
    }

    private void commit() {
      if (tx != null) {
        verifyBucket(tx.root(), working);
        tx.commit();
        tx = null;
        committed = working;
        working = null;
        verify(db, committed);
      }
    }

    /** Resolves a bucket path in both; returns null when the model has no such bucket. */
    private Object[] resolve(List<String> path) {
      Bucket b = tx().root();
      Model m = working;
      for (String name : path) {
        Model next = m.buckets.get(name.getBytes(UTF_8));
        Bucket nb = b.bucket(name);
        assertThat(nb == null).as("bucket %s absent", name).isEqualTo(next == null);
        if (next == null) {
          return null;
        }
        b = nb;
        m = next;
      }
      return new Object[] {b, m};
    }

    private void put(Put p) {
      Object[] r = resolve(p.path());
      if (r == null) {
        return;
      }
      Bucket b = (Bucket) r[0];
      Model m = (Model) r[1];
      byte[] value = value(p.valueSize(), p.seed());
      if (m.buckets.containsKey(p.key())) {
        assertThatThrownBy(() -> b.put(p.key(), value)).isInstanceOf(IllegalStateException.class);
        return;
      }
      b.put(p.key(), value);
      m.values.put(p.key(), value);
    }

    private void bulkPut(BulkPut p) {
      Object[] r = resolve(p.path());
      if (r == null) {
        return;
      }
      Bucket b = (Bucket) r[0];
      Model m = (Model) r[1];
      List<Integer> order = new ArrayList<>();
      for (int i = p.from(); i < p.from() + p.count(); i++) {
        order.add(i);
      }
      if (p.shuffled()) {
        java.util.Collections.shuffle(order, new java.util.Random(p.from()));
      }
      for (int i : order) {
        byte[] k = bulkKey(i);
        byte[] v = value(i % 50, i);
        b.put(k, v);
        m.values.put(k, v);
      }
    }

    private void largeBatch(LargeBatch l) {
      Object[] r = resolve(l.path());
      if (r == null) {
        return;
      }
      Bucket b = (Bucket) r[0];
      Model m = (Model) r[1];
      java.util.SplittableRandom random = new java.util.SplittableRandom(l.seed());
      List<byte[]> present = new ArrayList<>(m.values.keySet());
      for (int i = 0; i < l.count(); i++) {
        int op = random.nextInt(10);
        if (op < 7 || present.isEmpty()) {
          byte[] k = largeKey(l, i, random);
          if (m.buckets.containsKey(k)) {
            continue;
          }
          byte[] v = largeValue(l.maxValue(), random);
          b.put(k, v);
          if (m.values.put(k, v) == null) {
            present.add(k);
          }
        } else if (op < 9) {
          byte[] k = present.get(random.nextInt(present.size()));
          byte[] v = largeValue(l.maxValue(), random);
          b.put(k, v);
          m.values.put(k, v);
        } else {
          int at = random.nextInt(present.size());
          byte[] k = present.get(at);
          present.set(at, present.getLast());
          present.removeLast();
          assertThat(b.delete(k))
              .as("delete of present key %s", HexFormat.of().formatHex(k))
              .isEqualTo(m.values.remove(k) != null);
        }
      }
    }

    /** Returns key {@code i} of a batch: random, or led by an ascending or descending counter. */
    private static byte[] largeKey(LargeBatch l, int i, java.util.SplittableRandom random) {
      int min = l.order() == 0 ? 1 : 4;
      byte[] k = new byte[min + random.nextInt(l.maxKey() - min + 1)];
      random.nextBytes(k);
      if (l.order() != 0) {
        int n = l.order() == 1 ? i : Integer.MAX_VALUE - i;
        java.nio.ByteBuffer.wrap(k).putInt(n);
      }
      return k;
    }

    private static byte[] largeValue(int max, java.util.SplittableRandom random) {
      byte[] v =
          new byte
              [random.nextInt(100) == 0 ? 5000 + random.nextInt(15000) : random.nextInt(max + 1)];
      random.nextBytes(v);
      return v;
    }

    private void delete(List<String> path, byte[] key) {
      Object[] r = resolve(path);
      if (r == null) {
        return;
      }
      Bucket b = (Bucket) r[0];
      Model m = (Model) r[1];
      if (m.buckets.containsKey(key)) {
        assertThatThrownBy(() -> b.delete(key)).isInstanceOf(IllegalStateException.class);
        return;
      }
      assertThat(b.delete(key)).isEqualTo(m.values.remove(key) != null);
    }

    private void createBucket(List<String> path) {
      if (path.isEmpty()) {
        return;
      }
      Object[] r = resolve(path.subList(0, path.size() - 1));
      if (r == null) {
        return;
      }
      Bucket b = (Bucket) r[0];
      Model m = (Model) r[1];
      byte[] name = path.getLast().getBytes(UTF_8);
      if (m.values.containsKey(name)) {
        assertThatThrownBy(() -> b.createBucketIfAbsent(name))
            .isInstanceOf(IllegalStateException.class);
        return;
      }
      b.createBucketIfAbsent(name);
      m.buckets.computeIfAbsent(name, n -> new Model());
    }

    private void deleteBucket(List<String> path) {
      if (path.isEmpty()) {
        return;
      }
      Object[] r = resolve(path.subList(0, path.size() - 1));
      if (r == null) {
        return;
      }
      Bucket b = (Bucket) r[0];
      Model m = (Model) r[1];
      byte[] name = path.getLast().getBytes(UTF_8);
      assertThat(b.deleteBucket(name)).isEqualTo(m.buckets.remove(name) != null);
    }

    private void nextSequence(List<String> path) {
      Object[] r = resolve(path);
      if (r == null) {
        return;
      }
      Model m = (Model) r[1];
      assertThat(((Bucket) r[0]).nextSequence()).isEqualTo(++m.sequence);
    }

    private static byte[] bulkKey(int i) {
      return String.format("bulk%05d", i).getBytes(UTF_8);
    }

    private static byte[] value(int size, int seed) {
      byte[] v = new byte[size];
      new java.util.Random(seed).nextBytes(v);
      return v;
    }

    static void verify(Db db, Model model) {
      db.view(tx -> verifyBucket(tx.root(), model));
    }

    static void verifyBucket(Bucket b, Model m) {
      assertThat(b.count()).isEqualTo(m.values.size());
      assertThat(b.sequence()).isEqualTo(m.sequence);
      Cursor c = b.cursor();
      java.util.Iterator<Map.Entry<byte[], byte[]>> expected = m.values.entrySet().iterator();
      for (boolean ok = c.first(); ok; ok = c.next()) {
        assertThat(expected.hasNext()).as("forward scan longer than the model").isTrue();
        Map.Entry<byte[], byte[]> e = expected.next();
        assertSameKey(c.keyBytes(), e.getKey(), "forward scan");
        assertThat(c.valueBytes()).isEqualTo(e.getValue());
      }
      assertThat(expected.hasNext()).as("forward scan shorter than the model").isFalse();
      java.util.Iterator<byte[]> backward = m.values.descendingKeySet().iterator();
      for (boolean ok = c.last(); ok; ok = c.prev()) {
        assertThat(backward.hasNext()).as("backward scan longer than the model").isTrue();
        assertSameKey(c.keyBytes(), backward.next(), "backward scan");
      }
      assertThat(backward.hasNext()).as("backward scan shorter than the model").isFalse();
      checkRanges(b, m);
      for (Map.Entry<byte[], byte[]> e : m.values.entrySet()) {
        byte[] got = b.getBytes(e.getKey());
        if (!Arrays.equals(got, e.getValue())) {
          assertThat(got)
              .as("get %s", HexFormat.of().formatHex(e.getKey()))
              .isEqualTo(e.getValue());
        }
      }
      assertThat(b.get("absent-key".getBytes(UTF_8))).isNull();
      assertThat(b.bucketNames()).containsExactlyElementsOf(m.buckets.keySet());
      for (Map.Entry<byte[], Model> e : m.buckets.entrySet()) {
        assertThat(b.get(e.getKey())).isNull();
        verifyBucket(b.bucket(e.getKey()), e.getValue());
      }
    }

    private static void assertSameKey(byte[] actual, byte[] expected, String where) {
      if (!Arrays.equals(actual, expected)) {
        assertThat(HexFormat.of().formatHex(actual))
            .as(where)
            .isEqualTo(HexFormat.of().formatHex(expected));
      }
    }

    /** A range to scan, with which keys it holds and in which order, stated without KeyRange. */
    private record RangeCase(KeyRange range, Predicate<byte[]> holds, boolean reversed) {}

    private static void checkRanges(Bucket b, Model m) {
      byte[] from = "bulk01".getBytes(UTF_8);
      byte[] to = "k3".getBytes(UTF_8);
      byte[] bulk00 = "bulk00".getBytes(UTF_8);
      byte[] k1 = "k1".getBytes(UTF_8);
      List<RangeCase> cases =
          List.of(
              new RangeCase(KeyRange.prefix(bulk00), k -> startsWith(k, bulk00), false),
              new RangeCase(KeyRange.prefix(k1).reversed(), k -> startsWith(k, k1), true),
              new RangeCase(
                  KeyRange.closedOpen(from, to),
                  k -> ORDER.compare(k, from) >= 0 && ORDER.compare(k, to) < 0,
                  false),
              new RangeCase(
                  KeyRange.closed(from, to).reversed(),
                  k -> ORDER.compare(k, from) >= 0 && ORDER.compare(k, to) <= 0,
                  true),
              new RangeCase(
                  KeyRange.closed(from, to),
                  k -> ORDER.compare(k, from) >= 0 && ORDER.compare(k, to) <= 0,
                  false),
              new RangeCase(KeyRange.greaterThan(from), k -> ORDER.compare(k, from) > 0, false),
              new RangeCase(KeyRange.lessThan(to).reversed(), k -> ORDER.compare(k, to) < 0, true));
      for (RangeCase rc : cases) {
        List<byte[]> seen = new ArrayList<>();
        b.scan(
            rc.range(),
            (k, v) -> {
              seen.add(k.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE));
              return true;
            });
        List<byte[]> expected = new ArrayList<>();
        for (byte[] k : rc.reversed() ? m.values.descendingKeySet() : m.values.keySet()) {
          if (rc.holds().test(k)) {
            expected.add(k);
          }
        }
        assertThat(seen).as(rc.range().toString()).hasSameSizeAs(expected);
        for (int i = 0; i < seen.size(); i++) {
          assertSameKey(seen.get(i), expected.get(i), rc.range() + " at " + i);
        }
        long stopped = b.scan(rc.range(), (k, v) -> false);
        assertThat(stopped)
            .as(rc.range() + " stopped at once")
            .isEqualTo(expected.isEmpty() ? 0 : 1);
      }
    }

    private static boolean startsWith(byte[] key, byte[] prefix) {
      return key.length >= prefix.length
          && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }
  }
}
