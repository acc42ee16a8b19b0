package dev.mmkit.core;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * SharedLock is a mutual-exclusion lock stored in 32 bytes of shared memory ({@link
 * SharedLockLayout}) that threads of any process mapping those bytes can take. It survives a dead
 * holder: the holder is recorded as a {@link ProcessIdentity} (PID and start time), and a waiter
 * that finds the holder process gone takes the lock over and is told so through {@link
 * Guard#recovered()}, so it can repair whatever the dead holder left half-done.
 *
 * <p>Waiters spin briefly, then sleep on a futex and are woken by the unlocking process; they also
 * wake every 10 ms to check that the holder is alive. The lock is not reentrant and not fair.
 *
 * <pre>{@code
 * SharedLock lock = SharedLock.at(mapping, 0);
 * try (SharedLock.Guard guard = lock.acquire(Duration.ofSeconds(5))) {
 *   if (guard.recovered()) {
 *     repairAfterCrash();
 *   }
 *   update();
 * }
 * }</pre>
 */
public final class SharedLock {
  private static final int SPINS = 200;
  private static final long LIVENESS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

  private final Mapping mapping;
  private final long base;
  private final MappingAtomics atomics;
  private final long livenessCheckNanos;

  private SharedLock(Mapping mapping, long base, long livenessCheckNanos) {
    this.mapping = mapping;
    this.base = base;
    this.atomics = mapping.atomics();
    this.livenessCheckNanos = livenessCheckNanos;
  }

  /**
   * Returns the lock stored at {@code offset} of {@code mapping}. The 32 bytes there must be zero
   * before the lock is first used (a new file or shared memory is), and must be 8-byte aligned.
   */
  public static SharedLock at(Mapping mapping, long offset) {
    return at(mapping, offset, Duration.ofNanos(LIVENESS_CHECK_NANOS));
  }

  /**
   * Returns the lock at {@code offset} whose waiters sleep up to {@code livenessCheck} between two
   * checks of the holder's liveness. Tests use a long interval so that only the unlocker's wake-up
   * can end a sleep.
   */
  static SharedLock at(Mapping mapping, long offset, Duration livenessCheck) {
    if (offset < 0 || offset > mapping.size() - SharedLockLayout.SIZE) {
      throw new IndexOutOfBoundsException(
          "lock outside mapping: offset=" + offset + ", size=" + mapping.size());
    }
    if (((mapping.segment().address() + offset) & (SharedLockLayout.ALIGNMENT - 1)) != 0) {
      throw new IllegalArgumentException("lock must be 8-byte aligned: offset=" + offset);
    }
    return new SharedLock(mapping, offset, livenessCheck.toNanos());
  }

  /**
   * Takes the lock, waiting as long as it takes. A dead holder never blocks it: its lock is taken
   * over.
   */
  public Guard acquire() {
    return acquire(Duration.ofNanos(Long.MAX_VALUE));
  }

  /**
   * Takes the lock, waiting at most {@code timeout}.
   *
   * @throws TimedOutException when a live holder kept it for the whole timeout
   * @throws IllegalStateException when the calling thread already holds it
   */
  public Guard acquire(Duration timeout) {
    long me = ProcessIdentity.current().token();
    long thread = Thread.currentThread().threadId();
    if (atomics.getLongAcquire(base) == me && ownerThread() == thread) {
      throw new IllegalStateException("lock is not reentrant: " + this);
    }
    for (int spin = 0; spin < SPINS; spin++) {
      if (tryTake(0, me, thread)) {
        return new Guard(false);
      }
      Thread.onSpinWait();
    }
    return sleepUntilTaken(me, thread, timeout.toNanos());
  }

  /** Takes the lock if it is free or its holder is dead; returns null when a live holder has it. */
  public Guard tryAcquire() {
    long me = ProcessIdentity.current().token();
    long thread = Thread.currentThread().threadId();
    if (tryTake(0, me, thread)) {
      return new Guard(false);
    }
    return tryRecover(me, thread) ? new Guard(true) : null;
  }

  /** Returns how many times this lock was taken over from a dead holder. */
  public long recoveries() {
    return atomics.getLongAcquire(base + SharedLockLayout.RECOVERIES_OFFSET);
  }

  /** Returns the identity token of the holder, or 0 when the lock is free. */
  public long ownerToken() {
    return atomics.getLongAcquire(base + SharedLockLayout.OWNER_OFFSET);
  }

  private Guard sleepUntilTaken(long me, long thread, long timeoutNanos) {
    long start = System.nanoTime();
    long sleepers = base + SharedLockLayout.SLEEPERS_OFFSET;
    long sequence = base + SharedLockLayout.WAKE_SEQUENCE_OFFSET;
    atomics.getAndAddInt(sleepers, 1);
    try {
      while (true) {
        int seen = atomics.getIntAcquire(sequence);
        if (tryTake(0, me, thread)) {
          return new Guard(false);
        }
        if (tryRecover(me, thread)) {
          return new Guard(true);
        }
        long left = timeoutNanos - (System.nanoTime() - start);
        if (left <= 0) {
          throw new TimedOutException(
              "lock not acquired in time: timeoutMillis="
                  + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                  + ", holderPid="
                  + ProcessIdentity.pidOf(ownerToken()));
        }
        Futex.sleepOnce(mapping, sequence, seen, Math.min(left, livenessCheckNanos));
      }
    } finally {
      atomics.getAndAddInt(sleepers, -1);
    }
  }

  private boolean tryTake(long expectedOwner, long me, long thread) {
    if (atomics.compareAndSetLong(base + SharedLockLayout.OWNER_OFFSET, expectedOwner, me)) {
      atomics.setLongRelease(base + SharedLockLayout.THREAD_OFFSET, thread);
      return true;
    }
    return false;
  }

  private boolean tryRecover(long me, long thread) {
    long owner = ownerToken();
    if (owner == 0 || owner == me || ProcessIdentity.isAlive(owner)) {
      return false;
    }
    if (tryTake(owner, me, thread)) {
      atomics.getAndAddLong(base + SharedLockLayout.RECOVERIES_OFFSET, 1);
      return true;
    }
    return false;
  }

  private long ownerThread() {
    return atomics.getLongAcquire(base + SharedLockLayout.THREAD_OFFSET);
  }

  private void release() {
    long me = ProcessIdentity.current().token();
    if (ownerToken() != me || ownerThread() != Thread.currentThread().threadId()) {
      throw new IllegalStateException("lock released by a thread that does not hold it: " + this);
    }
    atomics.setLongRelease(base + SharedLockLayout.THREAD_OFFSET, 0);
    // A full-fence CAS, not a release store: the sleeper count must be read after the lock is
    // seen free, or a thread going to sleep right now would miss its wake-up.
    atomics.compareAndSetLong(base + SharedLockLayout.OWNER_OFFSET, me, 0);
    if (atomics.getIntAcquire(base + SharedLockLayout.SLEEPERS_OFFSET) > 0) {
      atomics.getAndAddInt(base + SharedLockLayout.WAKE_SEQUENCE_OFFSET, 1);
      Futex.wake(mapping, base + SharedLockLayout.WAKE_SEQUENCE_OFFSET, 1);
    }
  }

  @Override
  public String toString() {
    return "SharedLock[offset=" + base + ", " + mapping + "]";
  }

  /**
   * Guard is a held {@link SharedLock}; closing it releases the lock. It must be closed by the
   * thread that acquired it.
   */
  public final class Guard implements AutoCloseable {
    private final boolean recovered;
    private boolean released;

    private Guard(boolean recovered) {
      this.recovered = recovered;
    }

    /**
     * Returns whether the lock was taken over from a holder that died while holding it. The data
     * the lock protects may then be half-updated and should be checked or repaired.
     */
    public boolean recovered() {
      return recovered;
    }

    /**
     * Releases the lock; a second call does nothing.
     *
     * @throws IllegalStateException when called by a thread that does not hold the lock, which
     *     leaves it held
     */
    @Override
    public void close() {
      if (!released) {
        release();
        released = true;
      }
    }
  }
}
