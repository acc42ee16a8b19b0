package dev.mmkit.kv;

import java.util.ArrayList;
import java.util.List;
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
 * <p>A function that throws fails only its own caller: the batch is rolled back, the function is
 * run once more in a transaction of its own (so its exception comes from its own work), and the
 * rest is run again without it. A commit that fails fails every caller of its batch.
 */
final class Batcher {
  private static final long IDLE_NANOS = TimeUnit.SECONDS.toNanos(1);

  private final Db db;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition queued = lock.newCondition();
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
    while (true) {
      List<Call> batch;
      lock.lock();
      try {
        long left = IDLE_NANOS;
        while (queue.isEmpty() && left > 0) {
          left = queued.awaitNanos(left);
        }
        if (queue.isEmpty()) {
          committer = null;
          return;
        }
        batch = queue;
        queue = new ArrayList<>();
      } catch (InterruptedException e) {
        continue; // Nobody interrupts the committer on purpose; calls may be queued.
      } finally {
        lock.unlock();
      }
      try {
        run(batch);
      } catch (RuntimeException | Error e) {
        batch.stream().filter(c -> !c.done).forEach(c -> finish(List.of(c), e));
      }
    }
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

  private static void finish(List<Call> calls, Throwable failure) {
    for (Call c : calls) {
      c.failure = failure;
      c.done = true;
      LockSupport.unpark(c.caller);
    }
  }
}
