package dev.mmkit.core;

/** SyncMode chooses whether {@link Mapping#sync(long, long, SyncMode)} waits for the disk. */
public enum SyncMode {
  /** Return once the range is on stable storage ({@code MS_SYNC}). */
  SYNC,
  /**
   * Start writing the range back and return at once ({@code MS_ASYNC}). Durability is not promised.
   * Without {@link Feature#RANGE_SYNC} this behaves as {@link #SYNC}.
   */
  ASYNC
}
