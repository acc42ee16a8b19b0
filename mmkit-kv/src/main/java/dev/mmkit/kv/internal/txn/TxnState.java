package dev.mmkit.kv.internal.txn;

import dev.mmkit.core.ClosedException;
import dev.mmkit.kv.internal.page.Meta;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.storage.LongList;
import dev.mmkit.kv.internal.storage.Snapshot;
import dev.mmkit.kv.internal.storage.StoreFile;
import dev.mmkit.kv.internal.storage.WriteLease;
import dev.mmkit.kv.internal.tree.BucketTree;
import dev.mmkit.kv.internal.tree.TreeTxn;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * TxnState is the engine side of a transaction: the snapshot it reads, its root bucket, the views
 * it handed out (bound to an arena closed when it ends), and for a write transaction the lease on
 * the writer lock and the pages it freed.
 */
public final class TxnState implements TreeTxn {
  private final StoreFile store;
  private final Snapshot snapshot;
  private final WriteLease lease;

  /** The staged commit a chained write transaction builds on, until it completed; else null. */
  private StagedCommit previous;

  /** Whether this write transaction builds on a staged commit (see {@link StagedCommit}). */
  private final boolean chained;

  /** Times a read transaction's life for Flight Recorder; null for a write transaction. */
  private final ReadTransactionEvent readEvent;

  private final Thread owner;
  private final long txid;
  private final int maxNodeBytes;
  private final int maxInline;
  private final boolean nativeViews;
  final LongList freed;
  private Arena arena;
  private MemorySegment boundMapping;
  private BucketTree root;
  private boolean ended;

  private TxnState(StoreFile store, Snapshot snapshot, WriteLease lease, StagedCommit previous) {
    this.store = store;
    this.previous = previous;
    this.chained = previous != null;
    this.snapshot = snapshot;
    this.lease = lease;
    this.owner = Thread.currentThread();
    this.txid = lease == null ? snapshot.txid() : lease.txid();
    this.freed = lease == null ? null : new LongList();
    this.maxNodeBytes = 8 * snapshot.pageSize();
    this.maxInline = NodeLayout.maxInlineEntry(snapshot.pageSize());
    this.nativeViews = store.nativeViews();
    this.readEvent = lease == null ? new ReadTransactionEvent() : null;
    if (readEvent != null) {
      readEvent.begin();
    }
  }

  /** Begins a read transaction. */
  public static TxnState read(StoreFile store) {
    return new TxnState(store, store.beginRead(), null, null);
  }

  /** Begins a write transaction; waits for the writer lock. */
  public static TxnState write(StoreFile store) {
    WriteLease lease = store.writer().begin();
    return new TxnState(store, lease.snapshot(), lease, null);
  }

  /**
   * Begins a write transaction on top of {@code staged}, with the writer locks it holds, while its
   * flush may still be under way; see {@link StagedCommit}. Only the chain's thread calls it.
   */
  public static TxnState writeAfter(StoreFile store, StagedCommit staged) {
    WriteLease lease = staged.handOn();
    return new TxnState(store, lease.snapshot(), lease, staged);
  }

  /** Returns whether this write transaction builds on a staged commit, maybe not yet durable. */
  boolean chained() {
    return chained;
  }

  /** Returns whether this transaction may write. */
  public boolean writable() {
    return lease != null;
  }

  /** Returns the txid this transaction reads (read) or will commit as (write). */
  @Override
  public long txid() {
    return txid;
  }

  /** Returns the snapshot read. */
  @Override
  public Snapshot snapshot() {
    return snapshot;
  }

  StoreFile store() {
    return store;
  }

  WriteLease lease() {
    return lease;
  }

  /** Returns the bytes a materialized node may hold before it splits. */
  @Override
  public int maxNodeBytes() {
    return maxNodeBytes;
  }

  /** Returns the largest leaf entry kept inside a page. */
  @Override
  public int maxInline() {
    return maxInline;
  }

  /** Returns the page size. */
  @Override
  public int pageSize() {
    return snapshot.pageSize();
  }

  /** Returns the root bucket. */
  public BucketTree root() {
    check();
    if (root == null) {
      root = new BucketTree(this, null, null, snapshot.meta().root());
    }
    return root;
  }

  /** Returns the root bucket if it was used, or null. */
  BucketTree openedRoot() {
    return root;
  }

  /** Returns whether the transaction has ended. */
  public boolean ended() {
    return ended;
  }

  /** Fails unless the transaction is open and used from its thread. */
  @Override
  public void check() {
    if (ended) {
      throw new ClosedException("transaction has ended: txid=" + txid);
    }
    if (Thread.currentThread() != owner) {
      throw new IllegalStateException(
          "a transaction belongs to the thread that began it: owner="
              + owner.getName()
              + ", caller="
              + Thread.currentThread().getName());
    }
  }

  /** Fails unless the transaction may write. */
  @Override
  public void checkWritable() {
    check();
    if (lease == null) {
      throw new IllegalStateException("read-only transaction cannot write: txid=" + txid);
    }
  }

  /** Records that the commit frees tree page {@code page} (0 for none). */
  @Override
  public void free(long page) {
    if (page != 0) {
      freed.add(page);
    }
  }

  /** Records that the commit frees the {@code pages} pages from {@code page}. */
  @Override
  public void freeRun(long page, long pages) {
    freed.addRange(page, pages);
  }

  /** Returns a view of {@code length} mapped bytes at {@code off}, valid until the end. */
  @Override
  public MemorySegment view(long off, long length) {
    if (nativeViews) {
      MemorySegment bound = boundMapping;
      if (bound == null) {
        bound = boundMapping = bind(snapshot.segment());
      }
      return bound.asSlice(off, length);
    }
    byte[] copy = new byte[(int) length];
    MemorySegment.copy(snapshot.segment(), ValueLayout.JAVA_BYTE, off, copy, 0, (int) length);
    return MemorySegment.ofArray(copy).asReadOnly();
  }

  @SuppressWarnings("restricted")
  private MemorySegment bind(MemorySegment slice) {
    return slice.reinterpret(arena(), null).asReadOnly();
  }

  /** Returns a view of a copy of heap bytes, valid until the end. */
  @Override
  public MemorySegment view(byte[] bytes) {
    MemorySegment copy = arena().allocate(Math.max(1, bytes.length)).asSlice(0, bytes.length);
    MemorySegment.copy(bytes, 0, copy, ValueLayout.JAVA_BYTE, 0, bytes.length);
    return copy.asReadOnly();
  }

  private Arena arena() {
    if (arena == null) {
      arena = Arena.ofConfined();
    }
    return arena;
  }

  /** Commits a write transaction; returns the new meta (the old one when nothing changed). */
  public Meta commit() {
    checkWritable();
    Meta committed = null;
    boolean stateValid = false;
    try {
      committed = new Commit(this, false).run();
      stateValid = true;
      return committed;
    } finally {
      end(committed, stateValid);
    }
  }

  /**
   * Commits a write transaction as the next link of a pipelined chain: writes its pages and its log
   * record, and returns before the log's flush, which {@link StagedCommit#complete} does; the
   * writer locks stay held for the chain. A commit that cannot go to the log is completed here.
   * When it fails, the chain has ended: the writer locks are let go once the commit before
   * completed.
   */
  public StagedCommit commitStaged() {
    checkWritable();
    Commit commit = new Commit(this, true);
    Meta staged;
    try {
      staged = commit.run();
    } catch (RuntimeException | Error e) {
      end(null, false);
      throw e;
    }
    ended = true;
    closeArena();
    return new StagedCommit(store, lease, staged, commit.flushLeft() ? commit : null, previous);
  }

  /**
   * Waits until the staged commit this transaction builds on completed; throws when it failed.
   * Needed before anything that flushes the data file or writes a meta page.
   */
  void awaitPrevious() {
    if (previous != null) {
      previous.await();
      previous = null;
    }
  }

  /** Ends the transaction without committing. Idempotent. */
  public void rollback() {
    if (ended) {
      return;
    }
    end(null, true);
  }

  private void recordRead() {
    readEvent.end();
    if (readEvent.shouldCommit()) {
      readEvent.file = store.path().toString();
      readEvent.txid = txid;
      readEvent.commitsSince = Math.max(0, store.latest().txid() - txid);
      readEvent.commit();
    }
  }

  private void closeArena() {
    if (arena != null) {
      arena.close();
    }
  }

  private void end(Meta committed, boolean stateValid) {
    ended = true;
    try {
      closeArena();
    } finally {
      if (lease != null) {
        try {
          awaitPrevious(); // The writer locks must not go before the commit built on is whole.
        } catch (RuntimeException e) {
          committed = null;
          stateValid = false;
        }
        store.writer().end(lease, committed, stateValid);
      } else {
        recordRead();
        store.endRead(snapshot);
      }
    }
  }
}
