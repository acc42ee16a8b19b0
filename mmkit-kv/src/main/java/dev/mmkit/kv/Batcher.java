package dev.mmkit.kv;

import dev.mmkit.kv.internal.txn.StagedCommit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Batcher implements {@link Db#batch} (group commit): callers queue their functions and wait; one
 * committer thread takes everything queued and runs it in one write transaction with one commit.
 * Whatever is queued while it commits becomes the next batch, so batches grow with the number of
 * concurrent callers, one flush serves all of them, and no caller has to wake up to take over
 * before the next batch can start. The committer is started by the first call and ends after a
 * second without calls.
 *
 * <p>When commits are flushed ({@link Durability#SYNC}) the batches form a pipeline: the committer
 * builds and writes the next batch's transaction while a flusher thread flushes the log for the one
 * before it ({@link StagedCommit}); a caller is answered once its own batch is flushed and visible.
 * The committer holds the writer locks while batches keep coming, and lets go as soon as none is
 * queued and the last one is flushed.
 *
 * <p>A function that throws fails only its own caller: the batch is rolled back, the function is
 * run once more in a transaction of its own (so its exception comes from its own work), and the
 * rest is run again without it. A commit that fails fails every caller of its batch, and of the
 * batch built on it.
 */
final class Batcher {
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  /**
   * How long one chain of batches may hold the writer locks before it lets go once, so that other
   * writers, in this process and in others, get their turn.
   */
  private static final long MAX_CHAIN_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

  private final Db db;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queued = lock.newCondition();
  private final Condition chainEnded = lock.newCondition();

  /**
   * Whether the committer holds the writer locks for a chain of batches; see {@link #awaitIdle}.
   */
  private boolean chainOpen;

  private List<Call> queue = new ArrayList<>();
  private Thread committer;

  /** Call is one caller's function and, once done, its outcome. */
  private static final class Call {
    final Consumer<Tx> fn;
    final Thread caller = Thread.currentThread();
    Throwable failure;
    volatile boolean done;

    Call(Consumer<Tx> fn) {
      this.fn = fn;
    }
  }

  Batcher(Db db) {
    this.db = db;
  }

  void submit(Consumer<Tx> fn) {
    Call call = new Call(fn);
    lock.lock();
    try {
      queue.add(call);
      if (committer == null) {
        committer = Thread.ofPlatform().daemon().name("mmkit-kv-batch").start(this::commitLoop);
      }
      queued.signal();
    } finally {
      lock.unlock();
    }
    boolean interrupted = false;
    while (!call.done) {
      LockSupport.park(this);
      interrupted |= Thread.interrupted();
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (call.failure instanceof RuntimeException e) {
      throw e;
    }
    if (call.failure instanceof Error e) {
      throw e;
    }
  }

  /** Runs batches until none has come for a while. */
  private void commitLoop() {
    Flusher flusher = new Flusher();
    StagedCommit chain = null;
    long chainStart = 0;
    try {
      while (true) {
        if (chain != null && System.nanoTime() - chainStart > MAX_CHAIN_NANOS) {
          endChain(chain);
          chain = null;
        }
        List<Call> batch = take(chain);
        if (batch == null) {
          return;
        }
        if (batch.isEmpty()) {
          endChain(chain);
          chain = null;
          continue;
        }
        try {
          if (db.flushesEachCommit()) {
            if (chain == null) {
              chainStart = System.nanoTime();
              setChainOpen(true);
            }
            chain = runPipelined(batch, chain, flusher);
            if (chain == null) {
              setChainOpen(false);
            }
          } else {
            run(batch);
          }
        } catch (RuntimeException | Error e) {
          batch.stream().filter(c -> !c.done).forEach(c -> finish(List.of(c), e));
        }
      }
    } finally {
      flusher.stop();
    }
  }

  /**
   * Ends {@code chain}, whose callers the flusher has answered: a failure to let go of the writer
   * locks cannot be reported to them, and shows at the next write as the lock's timeout.
   */
  private void endChain(StagedCommit chain) {
    try {
      chain.endChain();
    } catch (RuntimeException e) {
      System.getLogger(Batcher.class.getName())
          .log(System.Logger.Level.WARNING, "could not end a chain of batches", e);
    } finally {
      setChainOpen(false);
    }
  }

  private void setChainOpen(boolean open) {
    lock.lock();
    try {
      chainOpen = open;
      if (!open) {
        chainEnded.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Waits until the committer holds no writer lock: a chain of batches keeps them after its callers
   * are answered until its last flush completed. {@link Db#close} calls it first.
   */
  void awaitIdle() {
    lock.lock();
    try {
      while (chainOpen) {
        chainEnded.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Returns the calls queued, waiting for some when there are none: an empty list when {@code
   * chain} is open and its last commit completed with nothing queued (the chain must end), null
   * when no call came for {@link #IDLE_NANOS} (the committer ends).
   */
  private List<Call> take(StagedCommit chain) {
    lock.lock();
    try {
      long left = IDLE_NANOS;
      while (queue.isEmpty()) {
        if (chain != null && chain.isComplete()) {
          return List.of();
        }
        if (chain == null && left <= 0) {
          committer = null;
          return null;
        }
        try {
          if (chain != null) {
            queued.await();
          } else {
            left = queued.awaitNanos(left);
          }
        } catch (InterruptedException e) {
          // Nobody interrupts the committer on purpose; calls may be queued.
        }
      }
      List<Call> batch = queue;
      queue = new ArrayList<>();
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs {@code batch} in a transaction on top of {@code chain} (or a new chain), stages its commit
   * and hands it to the flusher; returns the chain's new last commit, or null when the chain ended
   * (a function threw, or the commit failed) and {@code batch} was dealt with otherwise.
   */
  private StagedCommit runPipelined(List<Call> batch, StagedCommit chain, Flusher flusher) {
    Tx tx;
    try {
      tx = chain == null ? db.beginWrite() : db.beginWriteAfter(chain);
    } catch (RuntimeException | Error e) {
      finish(batch, e);
      return null;
    }
    boolean allRan = true;
    try {
      for (Call c : batch) {
        try {
          c.fn.accept(tx);
        } catch (RuntimeException | Error e) {
          allRan = false;
          break;
        }
      }
      if (allRan) {
        StagedCommit staged = tx.commitStaged();
        flusher.complete(staged, batch);
        staged.writePages(); // While the log is flushed.
        return staged;
      }
    } catch (RuntimeException | Error e) {
      finish(batch, e);
      return null;
    } finally {
      tx.close();
    }
    run(batch); // The rollback ended the chain; run on its own, the failing call is found again.
    return null;
  }

  /** Returns how many calls wait for the next batch; for tests. */
  int queued() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Runs {@code batch} to the end: every call ends done, with its own outcome. */
  private void run(List<Call> batch) {
    List<Call> pending = new ArrayList<>(batch);
    while (!pending.isEmpty()) {
      Call failed;
      try {
        failed = commitAll(pending);
      } catch (RuntimeException | Error e) {
        finish(pending, e);
        return;
      }
      if (failed == null) {
        finish(pending, null);
        return;
      }
      pending.remove(failed);
      try {
        db.update(failed.fn);
        finish(List.of(failed), null);
      } catch (RuntimeException | Error e) {
        finish(List.of(failed), e);
      }
    }
  }

  /**
   * Runs every call in one write transaction and commits it; returns null when it committed, or the
   * first call that threw (the transaction is then rolled back).
   */
  private Call commitAll(List<Call> calls) {
    try (Tx tx = db.beginWrite()) {
      for (Call c : calls) {
        try {
          c.fn.accept(tx);
        } catch (RuntimeException | Error e) {
          return c;
        }
      }
      tx.commit();
      return null;
    }
  }

  /**
   * Flusher completes the staged commits of the pipeline in order, on its own thread, and answers
   * their callers.
   */
  private final class Flusher {
    private static final Flush STOP = new Flush(null, List.of());
    private final BlockingQueue<Flush> flushes = new LinkedBlockingQueue<>();

    private record Flush(StagedCommit commit, List<Call> calls) {}

    Flusher() {
      Thread.ofPlatform().daemon().name("mmkit-kv-flush").start(this::flushLoop);
    }

    void complete(StagedCommit commit, List<Call> calls) {
      flushes.add(new Flush(commit, calls));
    }

    void stop() {
      flushes.add(STOP);
    }

    private void flushLoop() {
      while (true) {
        Flush f;
        try {
          f = flushes.take();
        } catch (InterruptedException e) {
          continue; // Nobody interrupts the flusher on purpose; commits may be waiting.
        }
        if (f == STOP) {
          return;
        }
        Throwable failure = null;
        try {
          f.commit().complete();
          db.afterCommit();
        } catch (RuntimeException | Error e) {
          failure = e;
        }
        finish(f.calls(), failure);
        lock.lock();
        try {
          queued.signal(); // The committer may wait for this commit to end its chain.
        } finally {
          lock.unlock();
        }
      }
    }
  }

  private static void finish(List<Call> calls, Throwable failure) {
    for (Call c : calls) {
      c.failure = failure;
      c.done = true;
      LockSupport.unpark(c.caller);
    }
  }
}
