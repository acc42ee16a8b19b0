package dev.mmkit.bench.kv;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.rocksdb.FlushOptions;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * RocksDbStore runs RocksDB through its JNI binding with the tuning its wiki suggests for a small
 * machine ({@code optimizeLevelStyleCompaction}, {@code setIncreaseParallelism} to the CPUs),
 * loading through one {@link WriteBatch} and committing durable puts with {@code sync=true}.
 */
final class RocksDbStore implements KvStore {
  static {
    RocksDB.loadLibrary();
  }

  private final Options options;
  private final RocksDB db;
  private final WriteOptions durable = new WriteOptions().setSync(true);

  RocksDbStore(Path directory) throws IOException {
    options =
        new Options()
            .setCreateIfMissing(true)
            .optimizeLevelStyleCompaction()
            .setIncreaseParallelism(Runtime.getRuntime().availableProcessors());
    try {
      db = RocksDB.open(options, directory.toString());
    } catch (RocksDBException e) {
      options.close();
      throw new IOException("cannot open RocksDB: directory=" + directory, e);
    }
  }

  @Override
  public String name() {
    return "RocksDB";
  }

  @Override
  public String configuration() {
    return "rocksdbjni 10.10.1.1, optimizeLevelStyleCompaction, setIncreaseParallelism(cpus),"
        + " WriteBatch for the load, WriteOptions.sync=true for durable puts";
  }

  @Override
  public String durability() {
    return "not durable by default: the WAL is written but not fsynced (sync=false); survives a"
        + " process crash, not a power loss; here sync=true";
  }

  @Override
  public void load(int[] order) throws IOException {
    byte[] key = new byte[KvDataset.KEY_BYTES];
    byte[] value = new byte[KvDataset.VALUE_BYTES];
    try (WriteBatch batch = new WriteBatch()) {
      for (int i : order) {
        batch.put(KvDataset.key(i, key), KvDataset.value(i, value));
      }
      db.write(durable, batch);
    } catch (RocksDBException e) {
      throw new IOException("load failed", e);
    }
  }

  @Override
  public void putDurable(byte[] key, byte[] value) throws IOException {
    try {
      db.put(durable, key, value);
    } catch (RocksDBException e) {
      throw new IOException("put failed", e);
    }
  }

  /** RocksDB groups concurrent writers' WAL appends and syncs on its own. */
  @Override
  public void putDurableShared(byte[] key, byte[] value) throws IOException {
    putDurable(key, value);
  }

  @Override
  public long get(byte[] key) {
    try {
      byte[] value = db.get(key);
      return value == null ? -1 : KvDataset.digest(value, 0, value.length);
    } catch (RocksDBException e) {
      throw new IllegalStateException("get failed", e);
    }
  }

  @Override
  public long scan() {
    long result = 0;
    try (RocksIterator iterator = db.newIterator()) {
      for (iterator.seekToFirst(); iterator.isValid(); iterator.next()) {
        byte[] value = iterator.value();
        result += 1 + KvDataset.digest(value, 0, value.length);
      }
    }
    return result;
  }

  @Override
  public List<String> integrityProblems() {
    try {
      db.verifyChecksum();
      return List.of();
    } catch (RocksDBException e) {
      return List.of("verifyChecksum: " + e.getMessage());
    }
  }

  @Override
  public String checker() {
    return "RocksDB.verifyChecksum(): the checksums of every SST file";
  }

  @Override
  public void flush() throws IOException {
    try (FlushOptions flush = new FlushOptions().setWaitForFlush(true)) {
      db.flush(flush);
    } catch (RocksDBException e) {
      throw new IOException("flush failed", e);
    }
  }

  @Override
  public void close() {
    durable.close();
    db.close();
    options.close();
  }
}
