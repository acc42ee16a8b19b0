package dev.mmkit.kv;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * BatchCrashWriter is the child process of {@link CrashTest}'s batch cycles: {@link #THREADS}
 * threads each append keys of their own with {@link Db#batch}, one call at a time, and print {@code
 * acked T N} once the call for thread T's key N returned, until killed. Each thread's keys are
 * numbered without gaps, so a restarted writer goes on from the count it finds.
 */
public final class BatchCrashWriter {
  static final int THREADS = 4;
  static final byte[] BUCKET = "batched".getBytes();

  private BatchCrashWriter() {}

  /** Arguments: database path. */
  public static void main(String[] args) throws Exception {
    try (Db db = Db.open(Path.of(args[0]))) {
      db.update(tx -> tx.createBucketIfAbsent(BUCKET));
      Thread[] threads = new Thread[THREADS];
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        long first = db.read(tx -> count(tx.bucket(BUCKET), thread));
        threads[t] =
            new Thread(
                () -> {
                  for (long n = first; ; n++) {
                    long key = n;
                    db.batch(tx -> tx.bucket(BUCKET).put(key(thread, key), value(thread, key)));
                    synchronized (System.out) {
                      System.out.println("acked " + thread + " " + key);
                      System.out.flush();
                    }
                  }
                });
      }
      System.out.println("start");
      System.out.flush();
      for (Thread t : threads) {
        t.start();
      }
      for (Thread t : threads) {
        t.join();
      }
    }
  }

  /** Returns how many keys thread {@code thread} has in {@code bucket}. */
  static long count(Bucket bucket, int thread) {
    long n = 0;
    while (bucket.getBytes(key(thread, n)) != null) {
      n++;
    }
    return n;
  }

  static byte[] key(int thread, long n) {
    return ByteBuffer.allocate(12).putInt(thread).putLong(n).array();
  }

  static byte[] value(int thread, long n) {
    byte[] v = new byte[(int) ((n * 7 + thread) % 300)];
    Arrays.fill(v, (byte) (n + thread));
    return v;
  }
}
