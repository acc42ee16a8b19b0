package dev.mmkit.raft.internal;

import dev.mmkit.core.CorruptException;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.DbOptions;
import dev.mmkit.kv.Durability;
import dev.mmkit.kv.Tx;
import dev.mmkit.raft.ClusterException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ReplicaStore is a member's copy of the replicated store: one mmkit-kv database in a file the
 * member owns, outside the Raft storage directory (a snapshot install replaces that directory
 * whole). It applies log entries, answers reads, and can be replaced by a snapshot.
 *
 * <p>Entries are applied with {@link Durability#NO_SYNC}: the Raft log is flushed before an entry
 * commits, and after a crash the member replays the log from its latest snapshot, skipping what the
 * database already holds (each commit records the entry it applied). A process crash loses nothing
 * from the database; a machine crash may take it back to an older commit, or, rarely, leave it
 * unreadable, and then it is restored from the latest snapshot, which is flushed.
 *
 * <p>Threads: one thread applies (Raft's state machine updater); any number read. Replacing the
 * database waits for both.
 */
final class ReplicaStore implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("dev.mmkit.raft");

  private final Path file;
  private final UUID group;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private Db db;
  private volatile StoreLayout.Applied applied;

  private ReplicaStore(Path file, UUID group) {
    this.file = file;
    this.group = group;
  }

  /**
   * Opens the database at {@code file} for the cluster {@code group}, creating it when missing.
   *
   * @throws ClusterException when the database belongs to another cluster
   */
  static ReplicaStore open(Path file, UUID group) {
    ReplicaStore store = new ReplicaStore(file, group);
    store.openDb();
    return store;
  }

  /**
   * Opens the database; a database that cannot be read (a machine crash under {@code NO_SYNC}) is
   * set aside and replaced by an empty one, to be filled from a snapshot and the log.
   */
  private void openDb() {
    try {
      db = Db.open(file, DbOptions.defaults().durability(Durability.NO_SYNC));
    } catch (CorruptException e) {
      Path aside =
          file.resolveSibling(file.getFileName() + ".corrupt-" + System.currentTimeMillis());
      LOG.warn(
          "mmkit-raft: database unreadable, set aside to be rebuilt: file="
              + file
              + ", aside="
              + aside,
          e);
      move(file, aside);
      db = Db.open(file, DbOptions.defaults().durability(Durability.NO_SYNC));
    }
    UUID recorded;
    try (Tx tx = db.beginRead()) {
      recorded = StoreLayout.group(tx);
      applied = StoreLayout.applied(tx);
    }
    if (recorded == null) {
      db.update(tx -> StoreLayout.setGroup(tx, group));
    } else if (!recorded.equals(group)) {
      db.close();
      throw new ClusterException(
          "database belongs to another cluster: file="
              + file
              + ", group="
              + recorded
              + ", expected="
              + group);
    }
  }

  /** Returns the last log entry the database applied. */
  StoreLayout.Applied applied() {
    return applied;
  }

  /**
   * Applies the write in entry ({@code term}, {@code index}) and records the entry in the same
   * commit; a write that cannot apply changes nothing but the record. Returns the response.
   */
  Response apply(long term, long index, Request.Update update) {
    lock.readLock().lock();
    try {
      Response response;
      try (Tx tx = db.beginWrite()) {
        boolean succeeded = Mutations.apply(tx, update.write(), index);
        StoreLayout.setApplied(tx, term, index);
        tx.commit();
        response = new Response.Written(succeeded, index);
      } catch (Mutations.RefusedException e) {
        db.update(tx -> StoreLayout.setApplied(tx, term, index));
        response = new Response.Failed(e.refused().error(), e.refused().message());
      }
      applied = new StoreLayout.Applied(term, index);
      return response;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Records an entry that carries no write (an undecodable one) as applied. */
  void skip(long term, long index) {
    lock.readLock().lock();
    try {
      db.update(tx -> StoreLayout.setApplied(tx, term, index));
      applied = new StoreLayout.Applied(term, index);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Answers a read from the newest commit. */
  Response read(Request request) {
    lock.readLock().lock();
    try (Tx tx = db.beginRead()) {
      return Queries.answer(tx, request, StoreLayout.applied(tx).index());
    } finally {
      lock.readLock().unlock();
    }
  }

  /**
   * Copies the newest commit to {@code target} and flushes it: a snapshot. Called by the applying
   * thread, so the copy holds exactly {@link #applied()}.
   */
  void copyTo(Path target) throws IOException {
    lock.readLock().lock();
    try {
      db.backupTo(target);
    } finally {
      lock.readLock().unlock();
    }
    force(target);
  }

  /**
   * Replaces the database with a copy of the snapshot {@code snapshot}, which holds the entry
   * {@code expected}; the copy is flushed before it replaces the file.
   *
   * @throws ClusterException when the snapshot holds another entry or belongs to another cluster
   */
  void replaceWith(Path snapshot, StoreLayout.Applied expected) throws IOException {
    lock.writeLock().lock();
    try {
      db.close();
      Path copy = file.resolveSibling(file.getFileName() + ".restore");
      Files.copy(snapshot, copy, StandardCopyOption.REPLACE_EXISTING);
      force(copy);
      move(copy, file);
      openDb();
      if (!applied.equals(expected)) {
        throw new ClusterException(
            "snapshot holds another entry than its name says: snapshot="
                + snapshot
                + ", holds="
                + applied
                + ", named="
                + expected);
      }
    } finally {
      lock.writeLock().unlock();
    }
  }

  private static void force(Path path) throws IOException {
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.WRITE)) {
      channel.force(true);
    }
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      try (FileChannel dir = FileChannel.open(to.toAbsolutePath().getParent())) {
        dir.force(true);
      }
    } catch (IOException e) {
      throw new ClusterException("cannot move file: from=" + from + ", to=" + to, e);
    }
  }

  @Override
  public void close() {
    lock.writeLock().lock();
    try {
      db.close();
    } finally {
      lock.writeLock().unlock();
    }
  }
}
