package dev.mmkit.core;

/**
 * SharedLockLayout describes the 32 bytes a {@link SharedLock} occupies in shared memory. All words
 * are in native byte order; the block must start on an 8-byte boundary and be zero before first
 * use.
 *
 * <pre>
 *   0                   8                   16        20        24                  32
 *   +-------------------+-------------------+---------+---------+-------------------+
 *   | owner token       | owner thread id   | wake    | sleepers| recoveries        |
 *   | (pid &lt;&lt; 32 |     | (Thread.threadId) | sequence| (int)   | (long)            |
 *   |  start time), 0 = |                   | (futex  |         |                   |
 *   |  free             |                   |  word)  |         |                   |
 *   +-------------------+-------------------+---------+---------+-------------------+
 * </pre>
 *
 * <ul>
 *   <li><b>owner token</b>: {@link ProcessIdentity#token()} of the holder, swapped in with CAS.
 *   <li><b>owner thread id</b>: which thread of the holder process holds it; checked on unlock.
 *   <li><b>wake sequence</b>: bumped on every unlock that finds sleepers; sleepers futex-wait on
 *       it.
 *   <li><b>sleepers</b>: how many threads, in all processes, sleep or are about to.
 *   <li><b>recoveries</b>: how many times the lock was taken over from a dead holder.
 * </ul>
 */
public final class SharedLockLayout {
  /** Offset of the owner token. */
  public static final int OWNER_OFFSET = 0;

  /** Offset of the owner thread id. */
  public static final int THREAD_OFFSET = 8;

  /** Offset of the wake sequence, the futex word. */
  public static final int WAKE_SEQUENCE_OFFSET = 16;

  /** Offset of the sleeper count. */
  public static final int SLEEPERS_OFFSET = 20;

  /** Offset of the recovery count. */
  public static final int RECOVERIES_OFFSET = 24;

  /** Bytes a lock occupies. */
  public static final int SIZE = 32;

  /** Alignment the lock's offset needs. */
  public static final int ALIGNMENT = 8;

  private SharedLockLayout() {}
}
