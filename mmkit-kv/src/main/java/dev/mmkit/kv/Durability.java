package dev.mmkit.kv;

/**
 * Durability chooses what a commit waits for before it returns. The weaker mode names what it gives
 * up; neither weakens isolation, and a crash of the process alone (not the machine) loses nothing
 * in either mode, because written pages are already in the operating system's cache.
 */
public enum Durability {
  /**
   * The default: a commit returns only after its pages and its meta page are on stable storage —
   * all written, then one {@code fdatasync} (a full {@code fsync} when the file grew, which happens
   * in steps of an eighth of its size). The flush dominates a small commit; {@link Db#batch} lets
   * concurrent writers share it. Promises: a commit that returned survives power loss, and the file
   * always opens at the last commit that reached the disk whole; a commit cut short by a power loss
   * is set aside and reported ({@link Db#discardedCommit()}).
   */
  SYNC,

  /**
   * Nothing is flushed; the operating system writes pages back when it likes. Gives up durability
   * and, after power loss or an operating system crash, possibly the file: it opens at the newest
   * commit that reached the disk whole, or fails with a {@link CorruptDbException} when neither
   * meta page names one. Page checksums and txids make that failure loud, never a wrong answer. For
   * bulk loads that can be redone, and for tests.
   */
  NO_SYNC
}
