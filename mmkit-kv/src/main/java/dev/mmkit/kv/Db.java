package dev.mmkit.kv;

import dev.mmkit.kv.internal.check.Inspector;
import dev.mmkit.kv.internal.page.LogLayout;
import dev.mmkit.kv.internal.storage.FileChannelPageFile;
import dev.mmkit.kv.internal.storage.PageFile;
import dev.mmkit.kv.internal.storage.StoreFile;
import dev.mmkit.kv.internal.storage.WriteAheadLog;
import dev.mmkit.kv.internal.txn.StagedCommit;
import dev.mmkit.kv.internal.txn.TxnState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Db is an embedded, transactional key-value store in one file: a copy-on-write B+tree of {@link
 * Bucket}s, read through a memory mapping and written with positional writes, safe against crashes
 * and power loss, shared by any number of threads and processes.
 *
 * <pre>{@code
 * try (Db db = Db.open(Path.of("data.db"))) {
 *   db.update(tx -> tx.createBucketIfAbsent("users").put("alice", "admin"));
 *   byte[] role = db.read(tx -> tx.bucket("users").getBytes("alice".getBytes(UTF_8)));
 *   System.out.println(new String(role, UTF_8)); // admin
 * }
 * }</pre>
 *
 * <p><b>Concurrency.</b> One write transaction at a time, across every thread and process that
 * opened the file (a lock in the file {@code NAME-lock} beside it), and any number of read
 * transactions (MVCC): a reader sees the snapshot of the last commit before it began, never blocks,
 * and is never blocked by the writer or by growth of the file. {@link #batch} lets concurrent
 * writers share one durable commit.
 *
 * <p><b>Durability.</b> By default a commit returns only after it is on stable storage, with one
 * flush: a small commit appends its pages to the write-ahead log {@code NAME-wal} and flushes only
 * that; a large one flushes the data file as a checkpoint. {@link Durability#NO_SYNC} names what it
 * gives up. A crash at any moment leaves the database at the last commit that reached the disk
 * whole — every commit that returned, and perhaps the one in flight. After the machine restarts,
 * the first open (in any process) replays the log over the data file before anything reads it;
 * opening reports, and sets aside, a newest commit that did not reach the disk whole ({@link
 * #discardedCommit()}). The data file, {@code NAME-wal} and {@code NAME-lock} belong together:
 * copy, move or delete them together, or copy with {@link #backupTo}.
 *
 * <p><b>Integrity.</b> Every page carries a CRC32C checksum and the txid that wrote it, verified
 * once per process before its bytes are used; a corrupt file fails with {@link CorruptDbException}
 * naming the page, never with a crash, a hang or a wrong answer. {@link #check()} walks everything.
 *
 * <p><b>Space.</b> The file grows as needed with no fixed map size. Pages freed by a commit are
 * reused once no reader in any process can see them; readers of dead processes are cleaned up. The
 * free tail of the file is trimmed from the database at commit and given back to the file system
 * when the last user closes it; {@link #compactTo} writes a dense copy.
 *
 * <p>Close a database once no transaction of it is open: closing ends nothing gracefully, and
 * transactions still open fail afterwards.
 */
public final class Db implements AutoCloseable {
  private final StoreFile store;
  private final Batcher batcher = new Batcher(this);

  private Db(StoreFile store) {
    this.store = store;
  }

  /** Opens the database at {@code path} with the default options, creating it when missing. */
  public static Db open(Path path) {
    return open(path, DbOptions.defaults());
  }

  /**
   * Opens the database at {@code path}, creating it (mode 0600, with its lock file) when missing
   * and allowed.
   *
   * @throws CorruptDbException when the file is not a sound database (bad magic, version, meta
   *     checksums, or shorter than its meta says)
   * @throws dev.mmkit.core.MmkitException with a {@link java.nio.file.NoSuchFileException} cause
   *     when it is missing and may not be created
   */
  public static Db open(Path path, DbOptions options) {
    return open(path, options, FileChannelPageFile::open);
  }

  /** Opens with a substitute file layer; tests use it to simulate power loss. */
  static Db open(Path path, DbOptions options, PageFile.Opener opener) {
    return new Db(StoreFile.open(path, options, opener));
  }

  /**
   * Returns what this database set aside when it was opened — a commit that did not reach the disk
   * whole, or an unreadable meta page — or empty when it opened at the newest commit with both meta
   * pages sound. When present, the database is at the newest sound commit before it; see {@link
   * DiscardedCommit} for what that means. It was logged once (logger {@code dev.mmkit.kv}, level
   * WARNING), and {@link #check()} reports it until the next commit overwrites that meta page.
   */
  public Optional<DiscardedCommit> discardedCommit() {
    return Optional.ofNullable(store.discardedCommit());
  }

  /** Returns the data file's path. */
  public Path path() {
    return store.path();
  }

  /** Returns the options the database was opened with; the page size is the file's own. */
  public DbOptions options() {
    return store.options();
  }

  /**
   * Begins a read transaction on the newest commit. It must be ended on the same thread.
   *
   * @throws dev.mmkit.core.FullException when every reader slot is in use
   */
  public Tx beginRead() {
    return new Tx(this, TxnState.read(store));
  }

  /**
   * Begins a write transaction, waiting for the writer lock (held by at most one transaction in all
   * processes). It must be committed or rolled back on the same thread.
   *
   * @throws IllegalStateException when the database was opened read-only
   * @throws dev.mmkit.core.TimedOutException when the writer lock stayed busy for longer than
   *     {@link DbOptions#writeLockTimeout(java.time.Duration)}; the message names the holder
   */
  public Tx beginWrite() {
    return new Tx(this, TxnState.write(store));
  }

  /** Begins a write transaction on top of {@code staged}, for {@link Batcher}'s pipeline. */
  Tx beginWriteAfter(StagedCommit staged) {
    return new Tx(this, TxnState.writeAfter(store, staged));
  }

  /** Returns whether a commit returns only once it is on stable storage. */
  boolean flushesEachCommit() {
    return store.durability() == Durability.SYNC;
  }

  /** Runs {@code fn} in a read transaction. Views it obtains must not escape it. */
  public void view(Consumer<Tx> fn) {
    try (Tx tx = beginRead()) {
      fn.accept(tx);
    }
  }

  /** Runs {@code fn} in a read transaction and returns its result, which must not be a view. */
  public <T> T read(Function<Tx, T> fn) {
    try (Tx tx = beginRead()) {
      return fn.apply(tx);
    }
  }

  /**
   * Runs {@code fn} in a write transaction and commits it; an exception thrown by {@code fn} rolls
   * it back and propagates.
   */
  public void update(Consumer<Tx> fn) {
    try (Tx tx = beginWrite()) {
      fn.accept(tx);
      tx.commit();
    }
  }

  /** Like {@link #update}, returning the result of {@code fn} after the commit. */
  public <T> T write(Function<Tx, T> fn) {
    try (Tx tx = beginWrite()) {
      T result = fn.apply(tx);
      tx.commit();
      return result;
    }
  }

  /**
   * Runs {@code fn} as part of a write transaction shared with other threads calling {@code batch}
   * at the same time, and returns after that transaction committed: concurrent writers share the
   * cost of one durable commit (group commit). If {@code fn} throws, the others are retried without
   * it and {@code fn} is run once more on its own, so its exception reflects a transaction of its
   * own. Because of that retry, and because a failing neighbour makes the batch run again, {@code
   * fn} may run more than once and must be idempotent with respect to what it writes.
   *
   * <p>With durable commits (the default), batches are pipelined: one thread builds and writes the
   * next batch's transaction while another flushes the log for the previous one, and one flush may
   * cover several batches. A call still returns only once its own batch is durable and visible to
   * every reader. While batches keep coming, the writer lock stays with them (let go at least every
   * 20 ms), so {@link #update} and writers in other processes may wait that long; a failed flush
   * fails every call of its batch and of the batches built on it.
   */
  public void batch(Consumer<Tx> fn) {
    batcher.submit(fn);
  }

  /** Returns how many {@link #batch} calls wait for the next batch; for tests. */
  int queuedBatchCalls() {
    return batcher.queued();
  }

  /**
   * Walks the whole database and returns the problems found, or an empty list when it is sound:
   * checksums of every reachable page, page structure, key order within and across pages, tree
   * levels, key counts, and that every page is used once or free. Reads a snapshot; writers go on.
   *
   * <p>The list is ordered by {@link DbProblem.Severity}: damaged structure first, then wrong key
   * counts, then leaked pages; within a severity, in the order the walk found them. It holds at
   * most {@value DbCheckReport#MAX_PROBLEMS} problems; {@link #checkReport()} also counts those
   * found beyond.
   */
  public List<DbProblem> check() {
    return checkReport().problems();
  }

  /**
   * Walks the whole database as {@link #check()} does and returns the problems kept, the number of
   * problems found beyond {@value DbCheckReport#MAX_PROBLEMS}, and the number of pages checked.
   */
  public DbCheckReport checkReport() {
    Inspector.Report r = Inspector.run(store);
    return new DbCheckReport(r.problems(), r.dropped(), r.meta().pageCount());
  }

  /** Returns statistics about the pages of the newest commit. Walks the whole database. */
  public DbStats stats() {
    Inspector.Report r = Inspector.run(store);
    long fileSize;
    try {
      fileSize = Files.size(store.path());
    } catch (IOException e) {
      fileSize = -1;
    }
    long nodes = r.branchPages() + r.leafPages();
    return new DbStats(
        store.path(),
        fileSize,
        store.pageSize(),
        r.meta().pageCount(),
        r.meta().txid(),
        r.branchPages(),
        r.leafPages(),
        r.overflowPages(),
        r.freelistPages(),
        r.freePages(),
        r.pendingPages(),
        r.buckets(),
        r.keys(),
        r.depth(),
        nodes == 0 ? 0 : (double) r.usedBytes() / (nodes * store.pageSize()),
        store.activeReaders(),
        oldestReaderLag(r.meta().txid()),
        sizeOrZero(WriteAheadLog.pathOf(store.path())),
        r.meta().logEnd() - LogLayout.records(store.pageSize()));
  }

  private static long sizeOrZero(Path file) {
    try {
      return Files.size(file);
    } catch (IOException missing) {
      return 0;
    }
  }

  private long oldestReaderLag(long newest) {
    long oldest = store.oldestReader();
    return oldest == Long.MAX_VALUE ? 0 : Math.max(0, newest - oldest);
  }

  /**
   * Writes a dense copy of the newest commit to a new database at {@code target} (which must not
   * exist), with this database's page size: every bucket, key, value and sequence, pages filled
   * completely and no free pages. Reads one snapshot; writers go on meanwhile.
   */
  public void compactTo(Path target) {
    Compaction.copy(this, target, store.pageSize());
  }

  /**
   * Like {@link #compactTo(Path)}, with another page size for the copy: a power of two from 4096 to
   * 32768.
   *
   * @throws IllegalArgumentException when the page size is not one of those, or the target exists
   */
  public void compactTo(Path target, int pageSize) {
    DbOptions.defaults().pageSize(pageSize); // validates
    Compaction.copy(this, target, pageSize);
  }

  /**
   * Writes a consistent copy of the newest commit to a new file at {@code target} (mode 0600),
   * while writers in any thread or process go on committing: the copy is the database as a read
   * transaction begun now sees it, with the same page size, and it passes {@link #check()}. It is
   * flushed to stable storage when this database's durability is {@link Durability#SYNC}. Pages are
   * copied as they are, free ones included, in large sequential pieces, so it costs about one read
   * and one write of the file; {@link #compactTo} writes a dense copy instead. The target is
   * deleted again when the copy fails.
   *
   * @return the txid of the commit copied ({@link Tx#id()} of a read transaction on the copy)
   * @throws IllegalArgumentException when {@code target} exists
   * @throws dev.mmkit.core.MmkitException when the copy cannot be written (no space, permissions)
   */
  public long backupTo(Path target) {
    return store.backupTo(target);
  }

  void afterCommit() {
    if (store.options().checkAfterCommit()) {
      DbCheckReport report = checkReport();
      if (!report.ok()) {
        throw new CorruptDbException(
            -1,
            "check after commit failed: file="
                + store.path()
                + ", problems="
                + report.problems()
                + ", dropped="
                + report.dropped());
      }
    }
  }

  /**
   * Closes the database and gives the free tail of the file back when nobody else has it open.
   * Waits first until {@link #batch} calls in progress are committed and the writer lock is free.
   */
  @Override
  public void close() {
    batcher.awaitIdle();
    store.close();
  }

  @Override
  public String toString() {
    return "Db[file=" + store.path() + ", txid=" + store.latest().txid() + "]";
  }
}
