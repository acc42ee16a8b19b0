package dev.mmkit.examples.kv;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.typed.Codec;
import dev.mmkit.kv.typed.TypedBucket;
import dev.mmkit.kv.typed.TypedRange;
import java.nio.file.Path;
import java.util.NavigableMap;

/**
 * KvExample opens a database, writes in transactions with bytes and with typed keys and values,
 * reads back, and scans a range of keys. Run it twice on one file: the run counter survives.
 *
 * <pre>
 * java --enable-native-access=dev.mmkit.core,dev.mmkit.kv -p MODULE_PATH \
 *     -m dev.mmkit.examples/dev.mmkit.examples.kv.KvExample example.db
 * </pre>
 */
public final class KvExample {
  private KvExample() {}

  /** Runs the example on the database file named by the first argument. */
  public static void main(String[] args) {
    try (Db db = Db.open(Path.of(args[0]))) {
      // One write transaction: everything in it is committed together, durably, or not at all.
      long run =
          db.write(
              tx -> {
                Bucket settings = tx.createBucketIfAbsent("settings");
                settings.put("greeting", "hello");
                return settings.nextSequence();
              });
      System.out.println("run=" + run);

      // A read transaction sees a snapshot; getBytes copies the value out of the mapped file.
      String greeting =
          db.read(tx -> new String(tx.bucket("settings").getBytes(bytes("greeting")), UTF_8));
      System.out.println("greeting=" + greeting);

      // Typed access: long keys kept in signed order, string values, no hand encoding.
      db.update(
          tx -> {
            TypedBucket<Long, String> users = users(tx.createBucketIfAbsent("users"));
            for (long id = -2; id <= 7; id++) {
              users.put(id, "user" + id);
            }
          });

      db.view(
          tx -> {
            TypedBucket<Long, String> users = users(tx.bucket("users"));
            System.out.println("get 4=" + users.get(4L));
            // A range scan, newest id first, stopped by the visitor after two entries.
            users.scan(
                TypedRange.closed(3L, 6L).reversed(),
                (id, name) -> {
                  System.out.println("scan " + id + "=" + name);
                  return id > 5;
                });
            // A read-only NavigableMap over the bucket, valid until the transaction ends.
            NavigableMap<Long, String> map = users.asMap();
            System.out.println("first=" + map.firstKey() + " last=" + map.lastKey());
            System.out.println("negative=" + map.headMap(0L).keySet());
            System.out.println("size=" + map.size());
          });
    }
  }

  private static TypedBucket<Long, String> users(Bucket bucket) {
    return TypedBucket.of(bucket, Codec.longs(), Codec.strings());
  }

  private static byte[] bytes(String s) {
    return s.getBytes(UTF_8);
  }
}
