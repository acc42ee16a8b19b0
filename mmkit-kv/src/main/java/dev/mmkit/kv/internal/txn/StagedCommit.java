package dev.mmkit.kv.internal.txn;

import dev.mmkit.core.MmkitException;
import dev.mmkit.kv.internal.page.Meta;
import dev.mmkit.kv.internal.storage.StoreFile;
import dev.mmkit.kv.internal.storage.WriteLease;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * StagedCommit is a commit of a pipelined chain of write transactions whose pages and log record
 * are written but which may still wait for the flush of the log and its meta page: the next
 * transactions of the chain are built on top of it while its flush runs on another thread, and one
 * flush covers every record appended before it.
 *
 * <p>One thread, the one that began the chain, builds its transactions and holds the writer locks
 * throughout; {@link #complete} runs on any thread, once per commit, in chain order. A staged
 * commit is visible to no reader and acknowledged to nobody before {@link #complete} returns. A
 * transaction of the chain reuses only pages freed by commits before the newest one whose meta page
 * is written, so a crash at any point, of the process or of the machine, leaves the pages of the
 * state the next open starts from as they were.
 *
 * <p>Each staged commit owns the chain's write lease until it hands it on to the next transaction
 * ({@link TxnState#writeAfter}) or ends the chain ({@link #endChain}).
 */
public final class StagedCommit {
  private final StoreFile store;
  private final WriteLease lease;
  private final Meta meta;
  private final boolean flushLeft;
  private final CommitEvent event;

  /** The commit whose data-file page writes are still to be done, until {@link #writePages}. */
  private Commit pagesLeft;

  /** Settles once the pages are written: with null, or with what made the writes fail. */
  private final CompletableFuture<Throwable> pagesWritten = new CompletableFuture<>();

  private StagedCommit previous;

  /** The first failure of a commit of this chain; once set, the chain goes no further. */
  private final AtomicReference<Throwable> chainFailure;

  /** Settles once {@link #complete} ran: with null, or with what made it fail. */
  private final CompletableFuture<Throwable> completed = new CompletableFuture<>();

  private boolean leaseHandedOn;

  /** IoStep is a step of a commit that may fail with an I/O error. */
  private interface IoStep {
    void run() throws IOException;
  }

  StagedCommit(
      StoreFile store, WriteLease lease, Meta meta, Commit flushLeft, StagedCommit previous) {
    this.store = store;
    this.lease = lease;
    this.meta = meta;
    this.flushLeft = flushLeft != null;
    this.event = flushLeft != null ? flushLeft.pendingEvent() : null;
    this.pagesLeft = flushLeft;
    if (flushLeft == null) {
      pagesWritten.complete(null);
    }
    this.previous = previous;
    this.chainFailure = previous == null ? new AtomicReference<>() : previous.chainFailure;
  }

  /** Returns the txid the commit was staged as. */
  public long txid() {
    return meta.txid();
  }

  Meta meta() {
    return meta;
  }

  /**
   * Completes the commit: after the commit before it completed, flushes the log and writes the meta
   * page, which makes the commit durable and visible to every process. Throws when this commit, or
   * one before it, failed; it is then not committed.
   */
  public void complete() {
    Throwable failed =
        attempt(
            () -> {
              StagedCommit before = previous;
              previous = null; // Completed commits are not kept alive by the chain.
              if (before != null) {
                before.await();
              }
              if (flushLeft) {
                long flushNanos = store.writer().flushLog(meta.txid());
                rethrow(pagesWritten.join());
                store.writer().writeMeta(meta);
                if (event != null) {
                  event.end();
                  event.commitIfEnabled(flushNanos);
                }
              }
              store.writer().publish(meta);
            });
    completed.complete(failed);
    rethrow(failed);
  }

  /**
   * Writes the commit's pages to the data file, which its record alone held so far, so that the
   * flush of the log could start first. The chain's thread calls it right after handing the commit
   * to whoever completes it, and before building anything on top ({@link #handOn} and {@link
   * #endChain} make sure); the meta page waits for it. Idempotent.
   */
  public void writePages() {
    Commit commit;
    synchronized (this) {
      commit = pagesLeft;
      pagesLeft = null;
    }
    if (commit != null) {
      pagesWritten.complete(attempt(commit::writeDeferredPages));
    }
  }

  /**
   * Runs {@code step}; returns null, or what made it fail (an I/O error as an {@link
   * MmkitException}), which also ends the chain's progress.
   */
  private Throwable attempt(IoStep step) {
    Throwable failed = null;
    try {
      step.run();
    } catch (IOException e) {
      failed = new MmkitException("commit failed: file=" + store.path() + ", txid=" + txid(), e);
    } catch (RuntimeException | Error e) {
      failed = e;
    }
    if (failed != null) {
      chainFailure.compareAndSet(null, failed);
    }
    return failed;
  }

  /** Waits until {@link #complete} ran; throws what made it fail. */
  void await() {
    Throwable failed = completed.join();
    if (failed != null) {
      throw new MmkitException(
          "an earlier commit of the batch failed: file=" + store.path() + ", txid=" + txid(),
          failed);
    }
  }

  /** Returns whether {@link #complete} has run. */
  public boolean isComplete() {
    return completed.isDone();
  }

  /**
   * Hands the chain's write lease on to the next transaction, built on this commit. Only the
   * chain's thread calls it; when it fails (also when a commit of the chain already failed: nothing
   * more is built on it), the chain has ended.
   */
  WriteLease handOn() {
    if (leaseHandedOn) {
      throw new IllegalStateException("the chain went on past txid=" + txid() + " already");
    }
    writePages();
    try {
      Throwable failed = chainFailure.get();
      if (failed != null) {
        throw new MmkitException(
            "an earlier commit of the batch failed: file=" + store.path(), failed);
      }
      WriteLease next = store.writer().continueAfter(lease, meta);
      leaseHandedOn = true;
      return next;
    } catch (RuntimeException | Error e) {
      endChain();
      throw e;
    }
  }

  /**
   * Ends the chain at this commit: waits until it completed (someone must call {@link #complete}),
   * then lets go of the writer locks. Only the chain's thread calls it.
   */
  public void endChain() {
    if (leaseHandedOn) {
      throw new IllegalStateException("the chain went on past txid=" + txid());
    }
    leaseHandedOn = true;
    writePages();
    boolean committed = true;
    try {
      await();
    } catch (RuntimeException e) {
      committed = false;
    }
    store.writer().end(lease, committed ? meta : null, committed);
  }

  private static void rethrow(Throwable t) {
    if (t instanceof RuntimeException e) {
      throw e;
    }
    if (t instanceof Error e) {
      throw e;
    }
  }
}
