package dev.mmkit.core;

/**
 * FileHandle is the platform's grip on an open file, beside the {@link
 * java.nio.channels.FileChannel} that maps it: advisory locks that mmkit processes honour, block
 * allocation, hole punching and page-cache control.
 */
interface FileHandle extends AutoCloseable {

  /** Takes the shared lock, waiting for an exclusive holder to leave. */
  void lockShared();

  /**
   * Tries to turn this handle's lock exclusive without waiting; returns false when another handle,
   * in this process or another, holds the lock.
   */
  boolean tryLockExclusive();

  /** Turns an exclusive lock back into a shared one. */
  void downgrade();

  /**
   * Allocates real blocks for {@code [offset, offset + length)} and extends the file to cover it.
   * Fails with {@link FullException} when the disk is full.
   */
  void allocate(long offset, long length);

  /**
   * Frees the blocks of a range without changing the file size; the range then reads as zeros.
   * Other processes mapping the range see zeros, not a fault.
   */
  void punchHole(long offset, long length);

  /** Asks the kernel to drop clean pages of a range from the page cache. */
  void dropCache(long offset, long length);

  /** Releases the lock and the handle. */
  @Override
  void close();
}
