package dev.mmkit.bench.kv;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.h2.mvstore.MVMap;
import org.h2.mvstore.MVStore;

/**
 * MvStoreStore runs an H2 MVStore map of byte arrays with auto-commit off, committing explicitly
 * and forcing the file to disk after each durable put. By default MVStore auto-commits in the
 * background about once a second and does not fsync per commit.
 */
final class MvStoreStore implements KvStore {
  private final MVStore store;
  private final MVMap<byte[], byte[]> map;

  MvStoreStore(Path directory) {
    store =
        new MVStore.Builder()
            .fileName(directory.resolve("mvstore.db").toString())
            .autoCommitDisabled()
            .open();
    map = store.openMap("kv");
  }

  @Override
  public String name() {
    return "MVStore";
  }

  @Override
  public String configuration() {
    return "H2 MVStore 2.4.240, autoCommitDisabled, MVMap<byte[], byte[]> (ObjectDataType),"
        + " commit() then sync() per durable put";
  }

  @Override
  public String durability() {
    return "not durable by default: background auto-commit about every second, no fsync per"
        + " commit; here commit() + sync() for durable puts";
  }

  @Override
  public void load(int[] order) {
    for (int i : order) {
      map.put(
          KvDataset.key(i, new byte[KvDataset.KEY_BYTES]),
          KvDataset.value(i, new byte[KvDataset.VALUE_BYTES]));
    }
    store.commit();
    store.sync();
  }

  @Override
  public void putDurable(byte[] key, byte[] value) {
    map.put(key.clone(), value.clone());
    store.commit();
    store.sync();
  }

  @Override
  public long get(byte[] key) {
    byte[] value = map.get(key);
    return value == null ? -1 : KvDataset.digest(value, 0, value.length);
  }

  @Override
  public long scan() {
    long result = 0;
    Iterator<Map.Entry<byte[], byte[]>> entries = map.entrySet().iterator();
    while (entries.hasNext()) {
      byte[] value = entries.next().getValue();
      result += 1 + KvDataset.digest(value, 0, value.length);
    }
    return result;
  }

  @Override
  public void flush() {
    store.commit();
    store.sync();
  }

  @Override
  public void close() {
    store.close();
  }
}
