package dev.mmkit.bench.kv;

import java.nio.file.Path;
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
final class MapDbStore extends SortedMapStore {
  private final DB db;

  MapDbStore(Path directory) {
    this(
        DBMaker.fileDB(directory.resolve("mapdb.db").toFile())
            .fileMmapEnableIfSupported()
            .fileMmapPreclearDisable()
            .cleanerHackEnable()
            .make());
  }

  private MapDbStore(DB db) {
    super(db.treeMap("kv", Serializer.BYTE_ARRAY, Serializer.BYTE_ARRAY).createOrOpen());
    this.db = db;
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
  void commit() {
    db.commit();
  }

  @Override
  public void close() {
    db.close();
  }
}
