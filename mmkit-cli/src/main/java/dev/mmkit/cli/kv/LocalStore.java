package dev.mmkit.cli.kv;

import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.KeyRange;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.List;

/**
 * LocalStore is a {@link KvStore} over one database file: each write is one durable commit, each
 * read one read transaction, so a scan sees one committed state.
 */
final class LocalStore implements KvStore {
  private final Db db;

  private LocalStore(Db db) {
    this.db = db;
  }

  /** Opens an existing database for reading only. */
  static LocalStore forReading(Path path) {
    return new LocalStore(KvCommand.openForReading(path));
  }

  /** Opens a database for writing, creating it when missing. */
  static LocalStore forWriting(Path path) {
    return new LocalStore(KvCommand.openForWriting(path));
  }

  @Override
  public void write(BucketOption bucket, List<Entry> entries) {
    db.update(
        tx -> {
          Bucket target = bucket.create(tx);
          for (Entry e : entries) {
            target.put(e.key(), e.value());
          }
        });
  }

  @Override
  public byte[] get(BucketOption bucket, byte[] key) {
    return db.read(tx -> bucket.find(tx).getBytes(key));
  }

  @Override
  public boolean delete(BucketOption bucket, byte[] key) {
    return db.write(tx -> bucket.find(tx).delete(key));
  }

  @Override
  public void scan(BucketOption bucket, KeyRange range, long limit, Visitor visitor) {
    if (limit <= 0) {
      return;
    }
    db.view(
        tx -> {
          long[] seen = {0};
          bucket
              .find(tx)
              .scan(
                  range,
                  (k, v) -> {
                    visitor.visit(
                        k.toArray(ValueLayout.JAVA_BYTE), v.toArray(ValueLayout.JAVA_BYTE));
                    return ++seen[0] < limit;
                  });
        });
  }

  @Override
  public void close() {
    db.close();
  }
}
