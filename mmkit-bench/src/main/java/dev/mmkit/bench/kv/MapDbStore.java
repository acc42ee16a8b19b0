package dev.mmkit.bench.kv;

import java.nio.file.Path;
import java.util.Map;
import org.mapdb.BTreeMap;
import org.mapdb.DB;
import org.mapdb.DBMaker;
import org.mapdb.Serializer;

/**
 * MapDbStore runs a MapDB 3 {@code BTreeMap} of byte arrays in a file, memory-mapped where
 * supported and unmapped on close ({@code cleanerHackEnable}), with transactions off: MapDB's
 * defaults and its advice for speed. {@code commit()} then flushes and fsyncs the store, but
 * without the write-ahead log ({@code transactionEnable()}) a crash in the middle of a write can
 * leave the file corrupt; the log costs reads and writes several times (measured here: a get in the
 * tens to hundreds of microseconds).
 */
final class MapDbStore implements KvStore {
  private final DB db;
  private final BTreeMap<byte[], byte[]> map;

  MapDbStore(Path directory) {
    db =
        DBMaker.fileDB(directory.resolve("mapdb.db").toFile())
            .fileMmapEnableIfSupported()
            .fileMmapPreclearDisable()
            .cleanerHackEnable()
            .make();
    map = db.treeMap("kv", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen();
  }

  @Override
  public String name() {
    return "MapDB";
  }

  @Override
  public String configuration() {
    return "MapDB 3.1.0 fileDB, fileMmapEnableIfSupported, fileMmapPreclearDisable,"
        + " cleanerHackEnable (unmaps on close), transactions off (default),"
        + " treeMap(BYTE_ARRAY, BYTE_ARRAY)";
  }

  @Override
  public String durability() {
    return "commit() flushes and fsyncs, but with transactions off (the default) a crash during"
        + " a write can corrupt the file";
  }

  @Override
  public void load(int[] order) {
    for (int i : order) {
      map.put(
          KvDataset.key(i, new byte[KvDataset.KEY_BYTES]),
          KvDataset.value(i, new byte[KvDataset.VALUE_BYTES]));
    }
    db.commit();
  }

  @Override
  public void putDurable(byte[] key, byte[] value) {
    map.put(key.clone(), value.clone());
    db.commit();
  }

  @Override
  public long get(byte[] key) {
    byte[] value = map.get(key);
    return value == null ? -1 : KvDataset.digest(value, 0, value.length);
  }

  @Override
  public long scan() {
    long result = 0;
    for (Map.Entry<byte[], byte[]> entry : map.entrySet()) {
      byte[] value = entry.getValue();
      result += 1 + KvDataset.digest(value, 0, value.length);
    }
    return result;
  }

  @Override
  public void flush() {
    db.commit();
  }

  @Override
  public void close() {
    db.close();
  }
}
