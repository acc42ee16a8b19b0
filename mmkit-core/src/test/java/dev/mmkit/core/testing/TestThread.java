package dev.mmkit.core.testing;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * TestThread runs part of a test on another platform thread and carries whatever that part throws
 * back to the test thread: {@link #join} rethrows it there, so an assertion that fails in the other
 * thread fails the test instead of vanishing with the thread. It also knows the thread's kernel
 * task, so that a test can watch it sleep.
 */
public final class TestThread {
  /** The work of the thread; it may throw anything, including failed assertions. */
  @FunctionalInterface
  public interface Body {
    /** Runs the work. */
    void run() throws Exception;
  }

  private final String name;
  private final Thread thread;
  private final CompletableFuture<KernelTask> task = new CompletableFuture<>();
  private volatile Throwable failure;

  private TestThread(String name, Body body) {
    this.name = name;
    this.thread =
        Thread.ofPlatform()
            .name(name)
            .daemon()
            .unstarted(
                () -> {
                  task.complete(KernelTask.current());
                  try {
                    body.run();
                  } catch (Throwable e) {
                    failure = e;
                  }
                });
  }

  /** Starts {@code body} on a new daemon thread called {@code name}. */
  public static TestThread start(String name, Body body) {
    TestThread started = new TestThread(name, body);
    started.thread.start();
    return started;
  }

  /** Returns the thread's kernel task, waiting for the thread to start if need be. */
  public KernelTask task() throws InterruptedException {
    try {
      return task.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new AssertionError("thread did not start: name=" + name, e);
    }
  }

  /** Returns the Java thread id. */
  public long threadId() {
    return thread.threadId();
  }

  /** Returns whether the thread is still running. */
  public boolean isAlive() {
    return thread.isAlive();
  }

  /**
   * Waits for the thread to end and rethrows, wrapped in an {@link AssertionError} that names the
   * thread, whatever it threw.
   *
   * @throws AssertionError when the thread failed, or is still running after {@code timeout}
   */
  public void join(Duration timeout) throws InterruptedException {
    if (!thread.join(timeout)) {
      throw new AssertionError("thread still running after " + timeout + ": name=" + name);
    }
    Throwable thrown = failure;
    if (thrown != null) {
      throw new AssertionError("thread failed: name=" + name + ", " + thrown, thrown);
    }
  }
}
