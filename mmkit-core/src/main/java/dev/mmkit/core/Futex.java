package dev.mmkit.core;

import java.lang.foreign.MemorySegment;
import java.time.Duration;

/**
 * Futex puts threads to sleep on a 32-bit word of a mapping until another thread or process wakes
 * them: the kernel's {@code futex} on Linux, so a sleeper burns no CPU and a waker in another
 * process reaches it directly through the shared page.
 *
 * <p>The word must be 4-byte aligned. Wake-ups can be spurious and a wake with no sleeper is lost,
 * so callers always recheck their condition in a loop: read the word, check the condition, then
 * {@link #await} with the value read. Without {@link Feature#FUTEX} the wait polls the word with a
 * pause growing to 1 ms and {@link #wake} does nothing; callers that change the word before waking
 * work unchanged.
 */
public final class Futex {
  private static final NativeAccess NATIVE = NativeAccess.instance();
  private static final long SLICE_NANOS = 100_000_000L;

  private Futex() {}

  /**
   * Sleeps while the word at {@code offset} holds {@code expected}, at most {@code timeout}.
   * Returns true when woken or when the word no longer held {@code expected}, false when the
   * timeout passed. Sleeps in slices of at most 100 ms so that closing the mapping ends the wait.
   *
   * @throws ClosedException when the mapping is closed before or during the wait
   */
  public static boolean await(Mapping mapping, long offset, int expected, Duration timeout) {
    MemorySegment word = word(mapping, offset);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (mapping.atomics().getIntAcquire(offset) != expected) {
        return true;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      if (NATIVE.futexWait(word, expected, Math.min(left, SLICE_NANOS))) {
        return true;
      }
    }
  }

  /**
   * Sleeps once while the word at {@code offset} holds {@code expected}: one wait in the kernel of
   * at most {@code nanos}, not cut into slices, so that only a wake-up, a change of the word seen
   * on entry or the timeout ends it. For callers that bound their sleeps themselves and recheck
   * their condition after each one.
   */
  static void sleepOnce(Mapping mapping, long offset, int expected, long nanos) {
    NATIVE.futexWait(word(mapping, offset), expected, nanos);
  }

  /**
   * Wakes up to {@code count} threads sleeping on the word at {@code offset}, in any process, and
   * returns how many were woken (always 0 without {@link Feature#FUTEX}).
   */
  public static int wake(Mapping mapping, long offset, int count) {
    if (count <= 0) {
      throw new IllegalArgumentException("count must be positive: count=" + count);
    }
    return NATIVE.futexWake(word(mapping, offset), count);
  }

  /** Wakes every thread sleeping on the word at {@code offset}. */
  public static int wakeAll(Mapping mapping, long offset) {
    return wake(mapping, offset, Integer.MAX_VALUE);
  }

  private static MemorySegment word(Mapping mapping, long offset) {
    if (mapping.isClosed()) {
      throw new ClosedException("mapping is closed: " + mapping);
    }
    MemorySegment word = mapping.segment().asSlice(offset, 4);
    if ((word.address() & 3) != 0) {
      throw new IllegalArgumentException("futex word must be 4-byte aligned: offset=" + offset);
    }
    return word;
  }
}
