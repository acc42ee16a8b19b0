package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.MmkitException;
import dev.mmkit.core.ProcessIdentity;
import dev.mmkit.core.SharedLock;
import dev.mmkit.core.TimedOutException;
import dev.mmkit.kv.internal.page.LogLayout;
import dev.mmkit.kv.internal.page.LogRecord;
import dev.mmkit.kv.internal.page.Meta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * StoreWriter is the write side of a {@link StoreFile} in this process: the in-process writer mutex
 * in front of the cross-process writer lock, the free-page state kept between commits, the growth
 * of the data file ahead of the pages a commit writes, the buffer commits batch their pages in, and
 * the shrinking of the file when the store closes. One thread at a time holds it, through a {@link
 * WriteLease}.
 */
public final class StoreWriter {
  private static final long MIN_GROWTH_STEP = 1L << 20;
  private static final long MAX_GROWTH_STEP = 64L << 20;
  private static final int WRITE_BATCH_PAGES = 64;

  private final StoreFile store;
  private final ReentrantLock writeMutex = new ReentrantLock();
  private FreeState freeState;
  private ByteBuffer writeBuffer;
  private LogRecord.Builder logRecord;

  /**
   * The data file's size as last read or written here; read again whenever another process may have
   * grown it.
   */
  private long fileSize;

  StoreWriter(StoreFile store) {
    this.store = store;
  }

  /**
   * Begins the write side: takes the in-process and the cross-process writer locks, reads the
   * newest meta and makes sure the free-page state matches it. Must be ended by {@link #end} on the
   * same thread.
   */
  public WriteLease begin() {
    store.ensureOpen();
    if (store.options().readOnly()) {
      throw new IllegalStateException("database is open read-only: file=" + store.path());
    }
    Duration timeout = store.options().writeLockTimeout();
    long start = System.nanoTime();
    lockWriteMutex(timeout);
    SharedLock.Guard guard = null;
    Snapshot s = null;
    try {
      long left = timeout.toNanos();
      if (left != Long.MAX_VALUE) {
        left = Math.max(0, left - (System.nanoTime() - start));
      }
      guard = acquireWriterLock(left);
      s = store.pinSnapshot(-1);
      if (freeState == null || freeState.txid != s.txid()) {
        // Another process committed, or a commit here failed: both may have grown the file.
        freeState = null;
        freeState = FreeState.load(s);
        fileSize = store.currentFileSize();
      }
      long attempted = store.attemptedTxid();
      if (attempted < 0 || attempted > s.txid()) {
        // A commit after the newest one was begun, here or in another process, and did not
        // finish (or this boot's attempts are unknown): its record may still be in the log.
        cutLogAfter(s.meta());
      }
      if (store.log().headerTxid() < 0
          || (s.meta().logEnd() == LogLayout.records(store.pageSize())
              && store.log().headerTxid() != s.txid())) {
        adoptCheckpoint(s.meta());
      }
      return new WriteLease(s, guard, freeState, nextTxid(s.txid(), store.attemptedTxid()));
    } catch (RuntimeException | Error e) {
      if (s != null) {
        store.mappings().unpin(s.generation());
      }
      if (guard != null) {
        guard.close();
      }
      writeMutex.unlock();
      throw e;
    }
  }

  /**
   * At open, when no other writer is at work, cuts off a record that an unfinished commit left
   * after the newest commit ({@link #cutLogAfter}), so that a restart of the machine brings back
   * what this open shows; a writer at work did the same when it began.
   */
  void cutLogAtOpen() {
    SharedLock.Guard guard = store.lock().writer().tryAcquire();
    if (guard == null) {
      return;
    }
    try {
      Snapshot s = store.pinSnapshot(-1);
      try {
        cutLogAfter(s.meta());
      } finally {
        store.mappings().unpin(s.generation());
      }
    } finally {
      guard.close();
    }
  }

  /**
   * Cuts off a record left after {@code newest} by a writer that did not finish its commit ({@link
   * WriteAheadLog#cutChainAfter}), saying so at DEBUG: after a crash it is expected, and no caller
   * was told that commit was made. The writer lock's holder only.
   */
  void cutLogAfter(Meta newest) {
    try {
      if (store.log().cutChainAfter(newest)) {
        System.getLogger(StoreWriter.class.getName())
            .log(
                System.Logger.Level.DEBUG,
                "cut off the write-ahead log record of an unfinished commit after txid "
                    + newest.txid()
                    + ": file="
                    + store.log().path());
      }
    } catch (IOException e) {
      throw new MmkitException(
          "cannot cut off an unfinished commit's record: file=" + store.log().path(), e);
    }
  }

  /**
   * Returns the txid for a commit on top of {@code base}: {@code base + 1}, unless a commit may
   * already have written pages with it ({@code attempted} at or above it, or unknown as -1), then
   * the first txid of the same parity above {@code attempted}. A commit that did not finish may
   * have left pages with its txid; reusing that txid would let such a stale page pass for the new
   * commit's own when the next open checks that the commit is whole.
   */
  static long nextTxid(long base, long attempted) {
    long next = base + 1;
    long floor = attempted < 0 ? next : attempted;
    if (floor < next) {
      return next;
    }
    long above = floor + 1;
    return ((above - next) & 1) == 0 ? above : above + 1;
  }

  /**
   * Reads the log's header, and makes {@code checkpoint}, the newest meta, the header when it is a
   * checkpoint (its commit flushed the data file) and the header is older: a writer that wrote its
   * meta page was stopped before it wrote the header, and records must not build on a checkpoint
   * the header does not hold.
   */
  private void adoptCheckpoint(Meta checkpoint) {
    try {
      WriteAheadLog.Header header = store.log().newestHeader();
      boolean isCheckpoint = checkpoint.logEnd() == LogLayout.records(store.pageSize());
      if (isCheckpoint && (header == null || header.meta().txid() < checkpoint.txid())) {
        store.log().writeHeader(checkpoint);
      }
    } catch (IOException e) {
      throw new MmkitException(
          "cannot write the write-ahead log's header: file=" + store.log().path(), e);
    }
  }

  /** Takes the in-process writer mutex, waiting at most {@code timeout}. */
  private void lockWriteMutex(Duration timeout) {
    try {
      if (!writeMutex.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw writerBusy(
            timeout, "another thread of this process, pid=" + ProcessHandle.current().pid());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MmkitException(
          "interrupted while waiting for the writer lock: file=" + store.path(), e);
    }
  }

  /** Takes the cross-process writer lock, waiting at most {@code nanos}. */
  private SharedLock.Guard acquireWriterLock(long nanos) {
    LockFile lock = store.lock();
    try {
      return lock.writer().acquire(Duration.ofNanos(nanos));
    } catch (TimedOutException e) {
      long owner = lock.writer().ownerToken();
      String holder =
          owner == 0 ? "a holder that just let go" : "pid=" + ProcessIdentity.pidOf(owner);
      throw writerBusy(Duration.ofNanos(nanos), holder);
    }
  }

  private TimedOutException writerBusy(Duration timeout, String holder) {
    return new TimedOutException(
        "the writer lock stayed busy: file="
            + store.path()
            + ", timeout="
            + timeout
            + ", holder="
            + holder);
  }

  /**
   * Continues the write side held by {@code lease} with a transaction on top of {@code staged}, the
   * meta of a commit whose pages and log record are written but whose log flush may still be under
   * way (see {@code StagedCommit}): the same writer locks, a snapshot of {@code staged}, and the
   * next txid. The new transaction may reuse only pages freed before the newest commit whose meta
   * page is written (see {@code Commit}).
   */
  public WriteLease continueAfter(WriteLease lease, Meta staged) {
    Snapshot s = store.pinSnapshotOf(staged);
    store.mappings().unpin(lease.snapshot().generation());
    return new WriteLease(
        s, lease.guard(), freeState, nextTxid(staged.txid(), store.attemptedTxid()));
  }

  /**
   * Finishes a commit whose record was appended to the log: when {@code flush} asks, flushes the
   * log ({@link #flushLog}), then writes {@code meta}'s page to the data file ({@link #writeMeta}).
   * Returns the nanoseconds the flush took.
   */
  public long finishLogged(Meta meta, boolean flush) throws IOException {
    long flushNanos = flush ? flushLog(meta.txid()) : 0;
    writeMeta(meta);
    return flushNanos;
  }

  /**
   * Flushes the log unless a flush since the record of commit {@code txid} was appended covered it
   * (one flush serves every record appended before it); returns the nanoseconds it took. Any
   * thread, in commit order.
   */
  public long flushLog(long txid) throws IOException {
    if (store.log().flushedTxid() >= txid) {
      return 0;
    }
    long start = System.nanoTime();
    store.log().forceAppended();
    return System.nanoTime() - start;
  }

  /**
   * Writes the meta page of {@code meta} to the data file, without a flush: every process sees the
   * commit from now on. Only after the commit's pages are written and, when durable, its record
   * flushed.
   */
  public void writeMeta(Meta meta) throws IOException {
    store.file().write(ByteBuffer.wrap(meta.encode()), (meta.txid() & 1) * store.pageSize());
  }

  /** Makes {@code committed} the newest meta this process knows; any thread. */
  public void publish(Meta committed) {
    store.metaPages().publishLatest(committed);
  }

  /** Ends the write side; {@code committed} is the new meta or null after a rollback. */
  public void end(WriteLease lease, Meta committed, boolean stateValid) {
    try {
      if (committed != null) {
        store.metaPages().publishLatest(committed);
      }
      if (!stateValid) {
        freeState = null;
      }
      store.mappings().unpin(lease.snapshot().generation());
    } finally {
      try {
        lease.guard().close();
      } finally {
        writeMutex.unlock();
      }
    }
  }

  /**
   * Makes sure the file is at least {@code bytes} long, returning whether it grew. It grows in
   * steps of an eighth of its size (1 to 64 MiB) and writes zeros over the new part ({@link
   * WritePieces}), so the space is really allocated: a full disk fails here with an exception,
   * never later as a fault in a mapped read, and writes into the new pages are overwrites that a
   * data flush alone makes durable. The caller holds the write lease and must flush with metadata
   * ({@code fsync}) before relying on the new part.
   */
  public boolean ensureFileSize(long bytes) throws IOException {
    if (fileSize >= bytes) {
      return false;
    }
    int pageSize = store.pageSize();
    long step = Math.clamp(fileSize / 8, MIN_GROWTH_STEP, MAX_GROWTH_STEP);
    long target = Math.max(bytes, fileSize + step);
    target = (target + pageSize - 1) / pageSize * pageSize;
    FileGrowthEvent event = new FileGrowthEvent();
    event.begin();
    WritePieces.zeros(store.file(), fileSize, target);
    event.end();
    if (event.shouldCommit()) {
      event.file = store.path().toString();
      event.fromSize = fileSize;
      event.toSize = target;
      event.commit();
    }
    fileSize = target;
    return true;
  }

  /**
   * Returns the writer's buffer for batches of pages, cleared; only the thread holding the write
   * lease may use it, until it ends the lease.
   */
  public ByteBuffer writeBuffer() {
    if (writeBuffer == null) {
      writeBuffer = ByteBuffer.allocateDirect(WRITE_BATCH_PAGES * store.pageSize());
    }
    return writeBuffer.clear();
  }

  /**
   * Returns the writer's log record builder, started for a record of at most {@code maxLength}
   * bytes; only the thread holding the write lease may use it, until it ends the lease.
   */
  public LogRecord.Builder logRecord(long maxLength) {
    if (logRecord == null) {
      logRecord = new LogRecord.Builder(store.pageSize());
    }
    return logRecord.reset(maxLength);
  }

  /**
   * When both writer locks are free right now, unmaps the file and, when its tail is unused,
   * shrinks it to the pages in use; a busy writer, or another process that maps the file, keeps the
   * space for a later close.
   */
  void shrinkAtClose() {
    if (!writeMutex.tryLock()) {
      return;
    }
    try {
      SharedLock.Guard guard = store.lock().writer().tryAcquire();
      if (guard != null) {
        try {
          long keep = shrinkTarget();
          store.mappings().close();
          if (keep > 0) {
            shrink(keep);
          }
        } finally {
          guard.close();
        }
      }
    } finally {
      writeMutex.unlock();
    }
  }

  private long shrinkTarget() {
    try {
      MappingGeneration g = store.mappings().pin(2L * store.pageSize());
      Meta m;
      try {
        m = store.metaPages().stableMeta(g, -1);
      } finally {
        store.mappings().unpin(g);
      }
      long keep = m.pageCount() * store.pageSize();
      return store.file().size() > keep ? keep : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private void shrink(long keep) {
    try (MappedFile rw = MappedFile.open(store.path(), MapMode.READ_WRITE)) {
      rw.truncate(keep);
    } catch (RuntimeException othersHaveItOpen) {
      // Another process maps the file: keep the space, a later close will give it back.
    }
  }
}
