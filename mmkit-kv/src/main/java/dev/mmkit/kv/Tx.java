package dev.mmkit.kv;

import dev.mmkit.kv.internal.tree.BucketTree;
import dev.mmkit.kv.internal.txn.StagedCommit;
import dev.mmkit.kv.internal.txn.TxnState;
import java.nio.charset.StandardCharsets;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Tx is a read-only or read-write transaction on a {@link Db}: a consistent snapshot of the whole
 * database (serializable isolation), plus, for a write transaction, changes that become visible and
 * durable together when {@link #commit()} returns, or not at all.
 *
 * <p><b>IMPORTANT: end every transaction</b> ({@link #commit()}, {@link #rollback()} or {@link
 * #close()}; try-with-resources does it). An open read transaction pins the pages of its snapshot
 * and a reader slot: pages freed after it began are not reused until it ends, so the file grows.
 * Avoid long-lived transactions. An open write transaction holds the single writer lock of the
 * database, across all processes.
 *
 * <p><b>Threads.</b> A transaction belongs to the thread that began it; calls from another thread
 * throw {@link IllegalStateException}. Use one transaction per thread; read transactions never
 * block each other or the writer, and are never blocked by it.
 *
 * <p><b>Views.</b> {@code get}, cursors and scans return {@link java.lang.foreign.MemorySegment}
 * views. When the JVM grants native access to this module ({@code --enable-native-access}), a view
 * of stored data is the mapped page itself: no copy, no allocation beyond the view object. Every
 * view is bound to the transaction: it is read-only, readable only by the transaction's thread, and
 * valid until the transaction ends; any access afterwards throws {@link IllegalStateException}, so
 * a view can never show a page that was freed and reused. Without native access views are private
 * copies, still read-only but not invalidated. Views of the mapping read the file directly: if
 * another program shrinks the file under the database, reading a view may throw {@link
 * InternalError}; the {@code getBytes} variants copy through a fenced path and throw {@link
 * dev.mmkit.core.TruncatedException} instead.
 *
 * <p><b>Cost.</b> Beginning a read transaction takes a reader slot and reads the meta page: about a
 * hundred nanoseconds. A write transaction works on copies of the pages it changes; its commit
 * writes them to new pages and a record of them to the write-ahead log, then (by default) flushes
 * the log once (see {@link Durability}).
 */
public final class Tx implements AutoCloseable {
  private final Db db;
  private final TxnState txn;
  // The first bucket handed out, then a map once there are more: most transactions use one.
  private Bucket first;
  private Map<BucketTree, Bucket> handles;

  Tx(Db db, TxnState txn) {
    this.db = db;
    this.txn = txn;
  }

  Bucket wrap(BucketTree tree) {
    if (tree == null) {
      return null;
    }
    if (first == null) {
      first = new Bucket(this, tree);
      return first;
    }
    if (first.tree() == tree) {
      return first;
    }
    if (handles == null) {
      handles = new IdentityHashMap<>();
    }
    return handles.computeIfAbsent(tree, t -> new Bucket(this, t));
  }

  /** Returns whether this transaction may write. */
  public boolean isWritable() {
    return txn.writable();
  }

  /**
   * Returns the id of the snapshot read (read) or of the commit being built (write). Ids of commits
   * increase but may skip: a commit after one that did not finish (a failure, a crash, a power
   * loss) skips the ids that one may have written pages with.
   */
  public long id() {
    return txn.txid();
  }

  /** Returns whether the transaction has ended. */
  public boolean isEnded() {
    return txn.ended();
  }

  /** Returns the root bucket of the database: it holds top-level keys and the top-level buckets. */
  public Bucket root() {
    return wrap(txn.root());
  }

  /** Returns the top-level bucket {@code name}, or null when there is none. */
  public Bucket bucket(byte[] name) {
    return root().bucket(name);
  }

  /** Returns the top-level bucket named by a UTF-8 string, or null. */
  public Bucket bucket(String name) {
    return bucket(name.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Creates the top-level bucket {@code name}.
   *
   * @throws IllegalStateException when it exists, or in a read-only transaction
   */
  public Bucket createBucket(byte[] name) {
    return root().createBucket(name);
  }

  /** Returns the top-level bucket {@code name}, creating it when absent. */
  public Bucket createBucketIfAbsent(byte[] name) {
    return root().createBucketIfAbsent(name);
  }

  /** Returns the top-level bucket named by a UTF-8 string, creating it when absent. */
  public Bucket createBucketIfAbsent(String name) {
    return createBucketIfAbsent(name.getBytes(StandardCharsets.UTF_8));
  }

  /** Deletes the top-level bucket {@code name} and everything in it; returns whether it existed. */
  public boolean deleteBucket(byte[] name) {
    return root().deleteBucket(name);
  }

  /** Returns the names of the top-level buckets, in key order. */
  public List<byte[]> bucketNames() {
    return root().bucketNames();
  }

  /**
   * Commits: writes the changes, makes them visible to transactions that begin afterwards, and
   * returns once they are as durable as the database's {@link Durability} promises. The transaction
   * has ended afterwards, even when the commit fails (then nothing was committed). A write
   * transaction without changes commits nothing and writes nothing.
   *
   * @throws IllegalStateException for a read-only transaction (use {@link #close()})
   * @throws dev.mmkit.core.FullException when the disk is full
   */
  public void commit() {
    txn.checkWritable();
    txn.commit();
    db.afterCommit();
  }

  /**
   * Commits as a link of {@link Db#batch}'s pipeline: returns once the pages and the log record are
   * written, leaving the log's flush to {@link StagedCommit#complete}; see {@link StagedCommit}.
   */
  StagedCommit commitStaged() {
    txn.checkWritable();
    return txn.commitStaged();
  }

  /** Ends the transaction, discarding its changes. Does nothing when it has already ended. */
  public void rollback() {
    if (!txn.ended()) {
      txn.check();
      txn.rollback();
    }
  }

  /** Same as {@link #rollback()}: a transaction not committed by now is discarded. */
  @Override
  public void close() {
    rollback();
  }

  @Override
  public String toString() {
    return "Tx[id="
        + txn.txid()
        + (txn.writable() ? ", write" : ", read")
        + (txn.ended() ? ", ended" : "")
        + "]";
  }
}
