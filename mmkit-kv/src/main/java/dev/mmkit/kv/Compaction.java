package dev.mmkit.kv;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Compaction copies one snapshot of a database into a new file in key order, so that every page is
 * filled and nothing is free, in write transactions of bounded size.
 */
final class Compaction {
  private static final long BATCH_BYTES = 32L << 20;

  private Compaction() {}

  static void copy(Db source, Path target, int pageSize) {
    if (Files.exists(target)) {
      throw new IllegalArgumentException("compaction target exists: file=" + target);
    }
    DbOptions options = DbOptions.defaults().pageSize(pageSize).durability(Durability.SYNC);
    try (Db dst = Db.open(target, options);
        Tx tx = source.beginRead()) {
      Writer w = new Writer(dst);
      try {
        copyBucket(tx.root(), new ArrayList<>(), w);
        w.commit();
      } finally {
        w.abandon();
      }
    }
  }

  private static void copyBucket(Bucket src, List<byte[]> path, Writer w) {
    if (!path.isEmpty()) {
      w.bucket(path);
    }
    if (src.sequence() != 0) {
      w.bucket(path).setSequence(src.sequence());
    }
    List<byte[]> names = src.bucketNames();
    int next = 0;
    Cursor c = src.cursor();
    for (boolean ok = c.first(); ok; ok = c.next()) {
      while (next < names.size() && c.compareKey(names.get(next)) > 0) {
        copyNested(src, path, names.get(next++), w);
      }
      w.put(path, c.keyBytes(), c.valueBytes());
    }
    while (next < names.size()) {
      copyNested(src, path, names.get(next++), w);
    }
  }

  private static void copyNested(Bucket src, List<byte[]> path, byte[] name, Writer w) {
    List<byte[]> inner = new ArrayList<>(path);
    inner.add(name);
    copyBucket(src.bucket(name), inner, w);
  }

  /** Writer applies puts to the target in transactions of bounded size. */
  private static final class Writer {
    private final Db dst;
    private Tx tx;
    private long bytes;
    private List<byte[]> cachedPath;
    private Bucket cached;

    Writer(Db dst) {
      this.dst = dst;
    }

    Bucket bucket(List<byte[]> path) {
      if (tx == null) {
        tx = dst.beginWrite();
        cachedPath = null;
      }
      if (path.equals(cachedPath) && cached != null) {
        return cached;
      }
      Bucket b = tx.root();
      for (byte[] name : path) {
        b = b.createBucketIfAbsent(name);
      }
      cachedPath = List.copyOf(path);
      cached = b;
      return b;
    }

    void put(List<byte[]> path, byte[] key, byte[] value) {
      bucket(path).put(key, value);
      bytes += key.length + value.length + 16;
      if (bytes > BATCH_BYTES) {
        commit();
      }
    }

    void commit() {
      if (tx != null) {
        tx.commit();
        tx = null;
        cached = null;
        bytes = 0;
      }
    }

    void abandon() {
      if (tx != null) {
        tx.close();
        tx = null;
      }
    }
  }
}
