package dev.mmkit.bench.kv;

import java.nio.file.Path;
import org.h2.mvstore.MVStore;

/**
 * MvStoreStore runs an H2 MVStore map of byte arrays with auto-commit off and a large write buffer,
 * committing explicitly and forcing the file to disk after each durable put. By default MVStore
 * auto-commits in the background about once a second and does not fsync per commit.
 */
final class MvStoreStore extends SortedMapStore {
  /**
   * Unsaved changes MVStore holds before it writes an intermediate chunk (default 1 MiB). With the
   * default, a one-transaction load of 1M random keys rewrote most leaves again and again and left
   * a 3 GB file behind; 64 MiB is the buffer a bulk load wants.
   */
  static final int WRITE_BUFFER_KIB = 64 << 10;

  private final MVStore store;

  MvStoreStore(Path directory) {
    this(
        new MVStore.Builder()
            .fileName(directory.resolve("mvstore.db").toString())
            .autoCommitDisabled()
            .autoCommitBufferSize(WRITE_BUFFER_KIB)
            .open());
  }

  private MvStoreStore(MVStore store) {
    super(store.openMap("kv"));
    this.store = store;
  }

  @Override
  public String name() {
    return "MVStore";
  }

  @Override
  public String configuration() {
    return "H2 MVStore 2.4.240, autoCommitDisabled, autoCommitBufferSize=64 MiB,"
        + " MVMap<byte[], byte[]> (ObjectDataType), commit() then sync() per durable put";
  }

  @Override
  public String durability() {
    return "not durable by default: background auto-commit about every second, no fsync per"
        + " commit; here commit() + sync() for durable puts";
  }

  @Override
  void commit() {
    store.commit();
    store.sync();
  }

  @Override
  public void close() {
    store.close();
  }
}
