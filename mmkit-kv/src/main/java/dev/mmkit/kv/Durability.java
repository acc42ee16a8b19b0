package dev.mmkit.kv;

/**
 * Durability chooses what a commit waits for before it returns. Each weaker mode names what it
 * gives up; none of them weakens isolation, and a crash of the process alone (not the machine)
 * loses nothing in any mode, because written pages are already in the operating system's cache.
 */
public enum Durability {
  /**
   * The default: a commit returns only after its pages and then its meta page are on stable storage
   * (written, {@code fdatasync}, meta written, {@code fdatasync}; a full {@code fsync} when the
   * file grew). Costs two disk flushes per commit, which dominate small commits (batch with {@link
   * Db#batch} or larger transactions to share them). Promises: a commit that returned survives
   * power loss, and the file always opens to a consistent state.
   */
  SYNC,

  /**
   * Pages are flushed before the meta page is written, but the meta page is not flushed. Gives up
   * durability of the most recent commits: after power loss or an operating system crash, the
   * database opens at an earlier commit, consistent and intact. Costs one flush per commit.
   */
  NO_META_SYNC,

  /**
   * Nothing is flushed; the operating system writes pages back when it likes. Gives up durability
   * and, after power loss or an operating system crash, consistency: the file may open at an
   * earlier commit, or fail to open with a {@link CorruptDbException} because the meta page reached
   * the disk before the pages it names. Page checksums and txids make that failure loud, never a
   * wrong answer. For bulk loads that can be redone, and for tests.
   */
  NO_SYNC
}
