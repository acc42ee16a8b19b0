package dev.mmkit.bench.kv;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import org.lmdbjava.CursorIterable;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.Txn;

/**
 * LmdbStore runs LMDB through lmdbjava with its defaults: direct ByteBuffers, a map of {@link
 * #MAP_SIZE} bytes (sparse), one named database, and one read transaction per thread, reused with
 * {@code reset} and {@code renew} as lmdbjava recommends for repeated reads (LMDB allows one read
 * transaction per thread unless MDB_NOTLS). Its fork needs {@code --add-opens} flags on JDK 25; see
 * {@link KvStores#jvmArgs}.
 */
final class LmdbStore implements KvStore {
  static final long MAP_SIZE = 16L << 30;

  private final Env<ByteBuffer> env;
  private final Dbi<ByteBuffer> db;
  private final ByteBuffer key = ByteBuffer.allocateDirect(KvDataset.KEY_BYTES);
  private final ByteBuffer value = ByteBuffer.allocateDirect(KvDataset.VALUE_BYTES);
  private Txn<ByteBuffer> reader;
  private final ThreadLocal<ByteBuffer[]> threadBuffers =
      ThreadLocal.withInitial(
          () ->
              new ByteBuffer[] {
                ByteBuffer.allocateDirect(KvDataset.KEY_BYTES),
                ByteBuffer.allocateDirect(KvDataset.VALUE_BYTES)
              });

  LmdbStore(Path directory) {
    env = Env.create().setMapSize(MAP_SIZE).setMaxDbs(1).open(directory.toFile());
    db = env.openDbi("kv", DbiFlags.MDB_CREATE);
  }

  @Override
  public String name() {
    return "lmdbjava";
  }

  @Override
  public String configuration() {
    return "lmdbjava 0.9.1 (LMDB 0.9.x), default env flags, mapSize=16 GiB, direct ByteBuffers,"
        + " one read txn reused with reset/renew";
  }

  @Override
  public String durability() {
    return "durable: commit writes and fsyncs (MDB_NOSYNC off)";
  }

  @Override
  public void load(int[] order) {
    byte[] k = new byte[KvDataset.KEY_BYTES];
    byte[] v = new byte[KvDataset.VALUE_BYTES];
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      for (int i : order) {
        db.put(txn, fill(key, KvDataset.key(i, k)), fill(value, KvDataset.value(i, v)));
      }
      txn.commit();
    }
  }

  @Override
  public void putDurable(byte[] k, byte[] v) {
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      db.put(txn, fill(key, k), fill(value, v));
      txn.commit();
    }
  }

  /**
   * LMDB has one writer at a time and no group commit: each call waits for the writer mutex and
   * commits (and syncs) on its own, with buffers of its own thread.
   */
  @Override
  public void putDurableShared(byte[] k, byte[] v) {
    ByteBuffer[] buffers = threadBuffers.get();
    try (Txn<ByteBuffer> txn = env.txnWrite()) {
      db.put(txn, fill(buffers[0], k), fill(buffers[1], v));
      txn.commit();
    }
  }

  /** Returns the reused read transaction, renewed to see the latest commit. */
  private Txn<ByteBuffer> reader() {
    if (reader == null) {
      reader = env.txnRead();
    } else {
      reader.reset();
      reader.renew();
    }
    return reader;
  }

  @Override
  public long get(byte[] k) {
    ByteBuffer found = db.get(reader(), fill(key, k));
    if (found == null) {
      return -1;
    }
    return digest(found);
  }

  @Override
  public long scan() {
    long result = 0;
    try (CursorIterable<ByteBuffer> cursor = db.iterate(reader())) {
      for (CursorIterable.KeyVal<ByteBuffer> pair : cursor) {
        result += 1 + digest(pair.val());
      }
    }
    return result;
  }

  private static long digest(ByteBuffer found) {
    int length = found.remaining();
    return found.order(ByteOrder.BIG_ENDIAN).getLong(found.position()) ^ length;
  }

  private static ByteBuffer fill(ByteBuffer buffer, byte[] bytes) {
    buffer.clear();
    buffer.put(bytes).flip();
    return buffer;
  }

  @Override
  public void flush() {
    env.sync(true);
  }

  @Override
  public void close() throws IOException {
    if (reader != null) {
      reader.close();
    }
    db.close();
    env.close();
  }
}
