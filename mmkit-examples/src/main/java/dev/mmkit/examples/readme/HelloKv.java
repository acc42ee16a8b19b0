package dev.mmkit.examples.readme;

import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.typed.Codec;
import dev.mmkit.kv.typed.TypedBucket;
import java.nio.file.Path;

/** Stores a name under a long key in one transaction and reads it back in another. */
public class HelloKv {
  public static void main(String[] args) {
    try (Db db = Db.open(Path.of(args[0]))) {
      db.update(tx -> users(tx.createBucketIfAbsent("users")).put(42L, "alice"));
      String name = db.read(tx -> users(tx.bucket("users")).get(42L));
      System.out.println("42=" + name);
    }
  }

  static TypedBucket<Long, String> users(Bucket bucket) {
    return TypedBucket.of(bucket, Codec.longs(), Codec.strings());
  }
}
