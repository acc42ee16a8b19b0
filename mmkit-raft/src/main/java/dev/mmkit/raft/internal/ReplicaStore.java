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
import java.util.ArrayList;
import java.util.List;
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
 * <p>Threads: one thread applies (the member's {@link Applier}); any number read. Replacing the
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
   * Entry is one committed log entry to apply: a write, or, for an entry that carries none (it
   * could not be decoded), the answer to give.
   *
   * @param term its term
   * @param index its index
   * @param update its write, or null
   * @param unusable the answer when {@code update} is null
   */
  record Entry(long term, long index, Request.Update update, Response.Failed unusable) {}

  /**
   * Applies {@code entries}, consecutive log entries in log order, in one transaction that also
   * records the last of them, and returns one answer per entry. Entries at or below the applied
   * index (replayed after a restart) change nothing. When a write cannot apply, the batch starts
   * again with one transaction per entry, so that this write alone is rolled back: the outcome is
   * always that of one transaction per entry.
   */
  List<Response> applyAll(List<Entry> entries) {
    lock.readLock().lock();
    try {
      try {
        return applyTogether(entries);
      } catch (Mutations.RefusedException e) {
        List<Response> responses = new ArrayList<>(entries.size());
        for (Entry entry : entries) {
          responses.add(applyAlone(entry));
        }
        return responses;
      }
    } finally {
      lock.readLock().unlock();
    }
  }

  private List<Response> applyTogether(List<Entry> entries) {
    List<Response> responses = new ArrayList<>(entries.size());
    Entry last = null;
    try (Tx tx = db.beginWrite()) {
      for (Entry entry : entries) {
        if (entry.index() <= applied.index()) {
          responses.add(appliedBefore(entry));
          continue;
        }
        if (entry.update() == null) {
          responses.add(entry.unusable());
        } else {
          boolean succeeded = Mutations.apply(tx, entry.update().write(), entry.index());
          responses.add(new Response.Written(succeeded, entry.index()));
        }
        last = entry;
      }
      if (last != null) {
        StoreLayout.setApplied(tx, last.term(), last.index());
        tx.commit();
        applied = new StoreLayout.Applied(last.term(), last.index());
      }
    }
    return responses;
  }

  /**
   * Applies one entry in a transaction of its own that also records it; a write that cannot apply
   * changes nothing but the record.
   */
  private Response applyAlone(Entry entry) {
    long term = entry.term();
    long index = entry.index();
    if (index <= applied.index()) {
      return appliedBefore(entry);
    }
    Response response;
    if (entry.update() == null) {
      db.update(tx -> StoreLayout.setApplied(tx, term, index));
      response = entry.unusable();
    } else {
      try (Tx tx = db.beginWrite()) {
        boolean succeeded = Mutations.apply(tx, entry.update().write(), index);
        StoreLayout.setApplied(tx, term, index);
        tx.commit();
        response = new Response.Written(succeeded, index);
      } catch (Mutations.RefusedException e) {
        db.update(tx -> StoreLayout.setApplied(tx, term, index));
        response = new Response.Failed(e.refused().error(), e.refused().message());
      }
    }
    applied = new StoreLayout.Applied(term, index);
    return response;
  }

  private static Response appliedBefore(Entry entry) {
    return new Response.Failed(
        Response.Error.REJECTED,
        "entry applied before this member restarted, its outcome is not kept: revision="
            + entry.index());
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
   * Copies the newest commit to {@code target} and flushes it: a snapshot. Called while no entry is
   * being applied, so the copy holds exactly {@link #applied()}.
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
