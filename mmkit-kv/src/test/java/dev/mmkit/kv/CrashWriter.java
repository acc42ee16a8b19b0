package dev.mmkit.kv;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * CrashWriter is the child process of {@link CrashTest}: it loads keys into a database with one
 * durable commit per key and prints {@code committed N} after each commit returns, until killed.
 * Each commit also rewrites a counter and, now and then, a large value, so that pages are freed and
 * reused all the time.
 */
public final class CrashWriter {
  private CrashWriter() {}

  /** Arguments: database path, durability. */
  public static void main(String[] args) {
    try (Db db =
        Db.open(Path.of(args[0]), DbOptions.defaults().durability(Durability.valueOf(args[1])))) {
      long next = db.read(tx -> tx.bucket("keys") == null ? 0L : tx.bucket("keys").count());
      System.out.println("start " + next);
      System.out.flush();
      while (true) {
        long n = next;
        db.update(
            tx -> {
              Bucket keys = tx.createBucketIfAbsent("keys");
              keys.put(key(n), value(n));
              Bucket meta = tx.createBucketIfAbsent("meta");
              meta.put("counter".getBytes(), ByteBuffer.allocate(8).putLong(n).array());
              if (n % 25 == 0) {
                meta.put("big".getBytes(), bigValue(n));
              }
            });
        System.out.println("committed " + n);
        System.out.flush();
        next++;
      }
    }
  }

  static byte[] key(long n) {
    return ByteBuffer.allocate(8).putLong(n).array();
  }

  static byte[] value(long n) {
    byte[] v = new byte[(int) (n % 200)];
    Arrays.fill(v, (byte) n);
    return v;
  }

  static byte[] bigValue(long n) {
    byte[] v = new byte[20_000 + (int) (n % 5000)];
    Arrays.fill(v, (byte) (n * 7));
    return v;
  }
}
