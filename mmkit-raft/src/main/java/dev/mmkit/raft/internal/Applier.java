package dev.mmkit.raft.internal;

import dev.mmkit.raft.ClusterException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applier applies committed log entries to a member's {@link ReplicaStore} on a thread of its own,
 * all the entries waiting when it gets to them in one transaction (group commit), and answers each
 * entry's future once that transaction has committed.
 *
 * <p>Raft hands over committed entries one at a time, in log order, and lets the state machine
 * answer later; one transaction per entry would cost a commit (a dozen pages written and a free
 * list updated) per write, on the one thread that applies. Here the entries that arrive while a
 * commit runs go into the next one together: one entry per commit when writes come one at a time,
 * many when they come in a crowd. The order is the log's, the outcome of each entry is what one
 * transaction per entry would give, and the database records the last entry of each commit, so a
 * crash leaves it at the end of a batch and the replay after it skips what it holds.
 *
 * <p>Threads: {@link #submit} and {@link #drain} from one thread (Raft's state machine updater);
 * the futures complete on the applier's thread. An unexpected failure (not a write the store
 * refuses, which is an answer) stops the applier: that entry and every later one fail, since
 * applying later entries on a state that lacks one would make this member diverge, and {@code
 * onFailure} is called once so that the member can stop.
 */
final class Applier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("dev.mmkit.raft");

  /** The most entries in one commit. */
  static final int BATCH_ENTRIES = 1024;

  /** The most bytes of requests in one commit, unless a single entry is larger. */
  static final long BATCH_BYTES = 4L << 20;

  /** Listener hears of each commit, before the futures of its entries complete. */
  interface Listener {
    /** Called once the entries up to ({@code term}, {@code index}) are committed. */
    void applied(long term, long index);
  }

  /** Pending is an entry waiting to be applied, or, with no entry, a barrier. */
  private record Pending(ReplicaStore.Entry entry, int size, CompletableFuture<Response> reply) {}

  private final ReplicaStore store;
  private final Listener listener;
  private final Runnable onFailure;
  private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closing;
  private volatile RuntimeException failure;

  /**
   * Starts the applier of {@code store}.
   *
   * @param name names the thread
   * @param listener hears of each commit
   * @param onFailure called once, on the applier's thread, when applying failed unexpectedly
   */
  Applier(ReplicaStore store, String name, Listener listener, Runnable onFailure) {
    this.store = store;
    this.listener = listener;
    this.onFailure = onFailure;
    this.thread = Thread.ofPlatform().name(name).daemon().unstarted(this::run);
    thread.start();
  }

  /**
   * Queues {@code entry}, whose request is {@code size} bytes, after those submitted before it;
   * returns its answer, which completes once it is committed.
   */
  CompletableFuture<Response> submit(ReplicaStore.Entry entry, int size) {
    CompletableFuture<Response> reply = new CompletableFuture<>();
    enqueue(new Pending(entry, size, reply));
    return reply;
  }

  /**
   * Waits until every entry submitted before is committed and its listener called.
   *
   * @throws ClusterException when the applier failed or was closed
   */
  void drain() {
    CompletableFuture<Response> done = new CompletableFuture<>();
    enqueue(new Pending(null, 0, done));
    try {
      done.get();
    } catch (ExecutionException e) {
      throw new ClusterException("entries not applied: " + e.getCause().getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while entries were applied", e);
    }
  }

  private void enqueue(Pending p) {
    RuntimeException failed = failure;
    if (failed != null) {
      p.reply().completeExceptionally(failed);
    } else if (closing) {
      p.reply().completeExceptionally(new ClusterException("applier closed"));
    } else {
      queue.add(p);
    }
  }

  private void run() {
    while (true) {
      Pending head;
      try {
        head = queue.take();
      } catch (InterruptedException e) {
        failRemaining(new ClusterException("applier interrupted"));
        return;
      }
      if (head.entry() == null) {
        complete(head);
        if (closing && queue.isEmpty()) {
          return;
        }
        continue;
      }
      List<Pending> batch = new ArrayList<>();
      batch.add(head);
      long bytes = head.size();
      for (Pending p = queue.peek();
          p != null
              && p.entry() != null
              && batch.size() < BATCH_ENTRIES
              && bytes + p.size() <= BATCH_BYTES;
          p = queue.peek()) {
        batch.add(queue.poll());
        bytes += p.size();
      }
      apply(batch);
    }
  }

  private void apply(List<Pending> batch) {
    if (failure != null) {
      batch.forEach(p -> p.reply().completeExceptionally(failure));
      return;
    }
    List<Response> responses;
    try {
      responses = store.applyAll(batch.stream().map(Pending::entry).toList());
      ReplicaStore.Entry last = batch.getLast().entry();
      listener.applied(last.term(), last.index());
    } catch (RuntimeException e) {
      fail(batch, e);
      return;
    }
    for (int i = 0; i < batch.size(); i++) {
      batch.get(i).reply().complete(responses.get(i));
    }
  }

  private void fail(List<Pending> batch, RuntimeException e) {
    ReplicaStore.Entry first = batch.getFirst().entry();
    LOG.error(
        "mmkit-raft: applying entries failed, this member stops applying: first="
            + first.index()
            + ", last="
            + batch.getLast().entry().index(),
        e);
    failure =
        new ClusterException(
            "applying entries failed: first=" + first.index() + ", cause=" + e.getMessage(), e);
    batch.forEach(p -> p.reply().completeExceptionally(failure));
    onFailure.run();
  }

  private void complete(Pending barrier) {
    RuntimeException failed = failure;
    if (failed != null) {
      barrier.reply().completeExceptionally(failed);
    } else {
      barrier.reply().complete(null);
    }
  }

  private void failRemaining(RuntimeException e) {
    for (Pending p; (p = queue.poll()) != null; ) {
      p.reply().completeExceptionally(e);
    }
  }

  /**
   * Applies what was submitted, then stops the thread; later submissions fail. Waits for the
   * thread.
   */
  @Override
  public void close() {
    if (!closing) {
      closing = true;
      queue.add(new Pending(null, 0, new CompletableFuture<>()));
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ClusterException("interrupted while the applier stopped", e);
    }
    failRemaining(new ClusterException("applier closed"));
  }
}
