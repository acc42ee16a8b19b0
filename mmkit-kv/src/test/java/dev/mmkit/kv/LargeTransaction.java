package dev.mmkit.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * LargeTransaction writes one large write transaction of a given {@link Shape} into a database —
 * optionally populated by an earlier commit — and checks it against a compact model: every key and
 * value and the count of every bucket, a forward and a backward scan, inside the transaction before
 * it commits, then {@link Db#check()} and the same reads after the commit and after a reopen.
 *
 * <p>The model keeps, per bucket, each key with the length and seed of its value; values are
 * generated from those, so millions of entries fit in a test JVM. Expected results come from the
 * model alone, never from the store.
 */
final class LargeTransaction {
  /** The order in which new keys arrive. */
  enum KeyOrder {
    RANDOM,
    ASCENDING,
    DESCENDING
  }

  /** What the large transaction does, as shares out of ten operations. */
  enum Mix {
    /** Only new keys. */
    PUTS(10, 0),
    /** Six new keys, two overwrites with another value size, two deletes. */
    MIXED(6, 2),
    /** Nine in ten operations overwrite an existing key with a value of another size. */
    OVERWRITES(1, 9),
    /** Nine in ten operations delete an existing key. */
    DELETES(1, 0);

    final int puts;
    final int overwrites;

    Mix(int puts, int overwrites) {
      this.puts = puts;
      this.overwrites = overwrites;
    }
  }

  /**
   * Shape is one large transaction.
   *
   * @param operations operations in the large transaction
   * @param order order of new keys
   * @param minKey shortest key (keys in order are at least 3 bytes: a counter leads them)
   * @param maxKey longest key
   * @param maxInlineValue largest value of the common case; values are 0 to this many bytes
   * @param overflowPercent share of values larger than a page, in percent
   * @param pageSize page size of a new database
   * @param populate keys committed by an earlier transaction, 0 for an empty database
   * @param buckets buckets written round-robin: top-level, nested and nested twice
   * @param mix what the operations do
   * @param seed seed of every random choice
   */
  record Shape(
      int operations,
      KeyOrder order,
      int minKey,
      int maxKey,
      int maxInlineValue,
      int overflowPercent,
      int pageSize,
      int populate,
      int buckets,
      Mix mix,
      long seed) {

    /** Returns the common case: random 16-byte keys, 100-byte values, one bucket, 4 KiB pages. */
    static Shape puts(int operations, long seed) {
      return new Shape(operations, KeyOrder.RANDOM, 16, 16, 100, 0, 4096, 0, 1, Mix.PUTS, seed);
    }

    Shape withOrder(KeyOrder o) {
      return new Shape(
          operations,
          o,
          minKey,
          maxKey,
          maxInlineValue,
          overflowPercent,
          pageSize,
          populate,
          buckets,
          mix,
          seed);
    }

    Shape withKeys(int min, int max) {
      return new Shape(
          operations,
          order,
          min,
          max,
          maxInlineValue,
          overflowPercent,
          pageSize,
          populate,
          buckets,
          mix,
          seed);
    }

    Shape withValues(int maxInline, int overflowShare) {
      return new Shape(
          operations,
          order,
          minKey,
          maxKey,
          maxInline,
          overflowShare,
          pageSize,
          populate,
          buckets,
          mix,
          seed);
    }

    Shape withPageSize(int size) {
      return new Shape(
          operations,
          order,
          minKey,
          maxKey,
          maxInlineValue,
          overflowPercent,
          size,
          populate,
          buckets,
          mix,
          seed);
    }

    Shape withPopulation(int keys, Mix m) {
      return new Shape(
          operations,
          order,
          minKey,
          maxKey,
          maxInlineValue,
          overflowPercent,
          pageSize,
          keys,
          buckets,
          m,
          seed);
    }

    Shape withBuckets(int n) {
      return new Shape(
          operations,
          order,
          minKey,
          maxKey,
          maxInlineValue,
          overflowPercent,
          pageSize,
          populate,
          n,
          mix,
          seed);
    }
  }

  /** Key is a byte array with value equality, for the model's hash maps. */
  private record Key(byte[] bytes) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Key k && Arrays.equals(bytes, k.bytes);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
      return java.util.HexFormat.of().formatHex(bytes);
    }
  }

  /** BucketModel is one bucket: key to value length (high int) and value seed (low int). */
  private static final class BucketModel {
    final List<String> path;
    final Map<Key, Long> values = new HashMap<>();
    final List<Key> keys = new ArrayList<>();
    final List<Key> deleted = new ArrayList<>();

    BucketModel(List<String> path) {
      this.path = path;
    }
  }

  private final Shape shape;
  private final SplittableRandom random;
  private final List<BucketModel> models = new ArrayList<>();
  private long counter;

  private LargeTransaction(Shape shape) {
    this.shape = shape;
    this.random = new SplittableRandom(shape.seed());
    for (int i = 0; i < shape.buckets(); i++) {
      List<String> path =
          switch (i % 3) {
            case 0 -> List.of("b" + i);
            case 1 -> List.of("outer", "n" + i);
            default -> List.of("outer", "mid", "d" + i);
          };
      models.add(new BucketModel(path));
    }
  }

  /** Runs {@code shape} in a new database at {@code file}; fails on any difference. */
  static void run(Path file, Shape shape) {
    new LargeTransaction(shape).execute(file);
  }

  private void execute(Path file) {
    DbOptions options =
        DbOptions.defaults().pageSize(shape.pageSize()).durability(Durability.NO_SYNC);
    try (Db db = Db.open(file, options)) {
      if (shape.populate() > 0) {
        write(db, shape.populate(), Mix.PUTS);
      }
      write(db, shape.operations(), shape.mix());
      db.view(this::verify);
    }
    try (Db db = Db.open(file, options)) {
      db.view(this::verify);
    }
  }

  private void write(Db db, int operations, Mix mix) {
    db.update(
        tx -> {
          List<Bucket> buckets = open(tx);
          for (int i = 0; i < operations; i++) {
            int which = i % models.size();
            apply(buckets.get(which), models.get(which), mix);
          }
          verify(tx);
        });
    assertThat(db.check()).as("check after commit").isEmpty();
  }

  private List<Bucket> open(Tx tx) {
    List<Bucket> out = new ArrayList<>();
    for (BucketModel m : models) {
      Bucket b = tx.createBucketIfAbsent(m.path.getFirst());
      for (String name : m.path.subList(1, m.path.size())) {
        b = b.createBucketIfAbsent(name);
      }
      out.add(b);
    }
    return out;
  }

  private void apply(Bucket b, BucketModel m, Mix mix) {
    int op = random.nextInt(10);
    if (op < mix.puts || m.keys.isEmpty()) {
      Key k = new Key(newKey());
      long v = newValue();
      b.put(k.bytes(), value(v));
      if (m.values.put(k, v) == null) {
        m.keys.add(k);
      }
    } else if (op < mix.puts + mix.overwrites) {
      Key k = m.keys.get(random.nextInt(m.keys.size()));
      long v = newValue();
      b.put(k.bytes(), value(v));
      m.values.put(k, v);
    } else {
      int at = random.nextInt(m.keys.size());
      Key k = m.keys.get(at);
      m.keys.set(at, m.keys.getLast());
      m.keys.removeLast();
      m.values.remove(k);
      if (m.deleted.size() < 10_000) {
        m.deleted.add(k);
      }
      assertThat(b.delete(k.bytes())).as("delete of a present key").isTrue();
    }
  }

  private byte[] newKey() {
    int min = shape.order() == KeyOrder.RANDOM ? shape.minKey() : Math.max(3, shape.minKey());
    int length = min + random.nextInt(shape.maxKey() - min + 1);
    byte[] k = new byte[length];
    random.nextBytes(k);
    if (shape.order() != KeyOrder.RANDOM) {
      long n = shape.order() == KeyOrder.ASCENDING ? counter : (1L << 24) - 1 - counter;
      counter++;
      k[0] = (byte) (n >>> 16);
      k[1] = (byte) (n >>> 8);
      k[2] = (byte) n;
    }
    return k;
  }

  /** Returns a new value's length (high int) and seed (low int). */
  private long newValue() {
    int length =
        random.nextInt(100) < shape.overflowPercent()
            ? shape.pageSize() + random.nextInt(3 * shape.pageSize())
            : random.nextInt(shape.maxInlineValue() + 1);
    return (long) length << 32 | (random.nextInt() & 0xFFFFFFFFL);
  }

  private static byte[] value(long lengthAndSeed) {
    byte[] v = new byte[(int) (lengthAndSeed >>> 32)];
    new SplittableRandom((int) lengthAndSeed).nextBytes(v);
    return v;
  }

  private void verify(Tx tx) {
    for (BucketModel m : models) {
      Bucket b = tx.root();
      for (String name : m.path) {
        b = b.bucket(name);
        assertThat(b).as("bucket %s", m.path).isNotNull();
      }
      verify(b, m);
    }
  }

  private static void verify(Bucket b, BucketModel m) {
    String where = String.join("/", m.path);
    assertThat(b.count()).as("count of %s", where).isEqualTo(m.values.size());
    int missing = 0;
    int wrong = 0;
    Key firstBad = null;
    for (Map.Entry<Key, Long> e : m.values.entrySet()) {
      byte[] got = b.getBytes(e.getKey().bytes());
      if (got == null) {
        missing++;
      } else if (!Arrays.equals(got, value(e.getValue()))) {
        wrong++;
      }
      if ((got == null || !Arrays.equals(got, value(e.getValue()))) && firstBad == null) {
        firstBad = e.getKey();
      }
    }
    assertThat(missing + wrong)
        .as("%s: %d keys missing, %d with a wrong value, first %s", where, missing, wrong, firstBad)
        .isZero();
    for (Key k : m.deleted) {
      if (!m.values.containsKey(k)) {
        assertThat(b.getBytes(k.bytes())).as("%s: deleted key %s", where, k).isNull();
      }
    }
    List<byte[]> sorted = new ArrayList<>(m.values.size());
    for (Key k : m.values.keySet()) {
      sorted.add(k.bytes());
    }
    sorted.sort(Arrays::compareUnsigned);
    checkScan(b, m, sorted, where);
  }

  private static void checkScan(Bucket b, BucketModel m, List<byte[]> sorted, String where) {
    Cursor c = b.cursor();
    int i = 0;
    for (boolean ok = c.first(); ok; ok = c.next(), i++) {
      assertThat(i).as("%s: forward scan longer than the model", where).isLessThan(sorted.size());
      byte[] k = c.keyBytes();
      if (!Arrays.equals(k, sorted.get(i))) {
        assertThat(k).as("%s: forward scan, position %d", where, i).isEqualTo(sorted.get(i));
      }
      if (i % 97 == 0) {
        assertThat(c.valueBytes()).isEqualTo(value(m.values.get(new Key(k))));
      }
    }
    assertThat(i).as("%s: forward scan length", where).isEqualTo(sorted.size());
    for (boolean ok = c.last(); ok; ok = c.prev()) {
      i--;
      byte[] k = c.keyBytes();
      if (!Arrays.equals(k, sorted.get(i))) {
        assertThat(k).as("%s: backward scan, position %d", where, i).isEqualTo(sorted.get(i));
      }
    }
    assertThat(i).as("%s: backward scan length", where).isZero();
  }
}
