package dev.mmkit.kv;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Batcher implements {@link Db#batch}: callers queue their functions; whoever holds the leader lock
 * runs every queued function in one write transaction and commits once, while the others wait for
 * their function to be done.
 */
final class Batcher {
  private static final int MAX_CALLS = 1000;

  private final Db db;
  private final ReentrantLock leader = new ReentrantLock();
  private final ConcurrentLinkedDeque<Call> queue = new ConcurrentLinkedDeque<>();
  private final Object monitor = new Object();

  private static final class Call {
    final Consumer<Tx> fn;
    volatile boolean done;
    Throwable failure;

    Call(Consumer<Tx> fn) {
      this.fn = fn;
    }
  }

  Batcher(Db db) {
    this.db = db;
  }

  void submit(Consumer<Tx> fn) {
    Call call = new Call(fn);
    queue.addLast(call);
    while (!call.done) {
      if (leader.tryLock()) {
        try {
          while (!call.done) {
            runBatch();
          }
        } finally {
          leader.unlock();
          wakeAll();
        }
      } else {
        awaitTurn(call);
      }
    }
    if (call.failure instanceof RuntimeException e) {
      throw e;
    }
    if (call.failure instanceof Error e) {
      throw e;
    }
  }

  private void awaitTurn(Call call) {
    synchronized (monitor) {
      if (!call.done && leader.isLocked()) {
        try {
          monitor.wait(10);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException("interrupted while waiting for a batch", e);
        }
      }
    }
  }

  private void runBatch() {
    List<Call> calls = new ArrayList<>();
    for (Call c; calls.size() < MAX_CALLS && (c = queue.pollFirst()) != null; ) {
      calls.add(c);
    }
    if (calls.isEmpty()) {
      return;
    }
    Call failed = null;
    try (Tx tx = db.beginWrite()) {
      for (Call c : calls) {
        try {
          c.fn.accept(tx);
        } catch (RuntimeException | Error e) {
          failed = c;
          break;
        }
      }
      if (failed == null) {
        tx.commit();
        finish(calls, null);
        return;
      }
    } catch (RuntimeException | Error e) {
      finish(calls, e);
      return;
    }
    calls.remove(failed);
    for (int i = calls.size() - 1; i >= 0; i--) {
      queue.addFirst(calls.get(i));
    }
    try {
      db.update(failed.fn);
      finish(List.of(failed), null);
    } catch (RuntimeException | Error e) {
      finish(List.of(failed), e);
    }
  }

  private void finish(List<Call> calls, Throwable failure) {
    for (Call c : calls) {
      c.failure = failure;
      c.done = true;
    }
    wakeAll();
  }

  private void wakeAll() {
    synchronized (monitor) {
      monitor.notifyAll();
    }
  }
}
