package dev.mmkit.kv;

/**
 * Durability chooses what a commit waits for before it returns. The weaker mode names what it gives
 * up; neither weakens isolation, and a crash of the process alone (not the machine) loses nothing
 * in either mode, because written pages are already in the operating system's cache.
 */
public enum Durability {
  /**
   * The default: a commit returns only after it is on stable storage, with one flush. A small
   * commit appends a record of its pages to the write-ahead log ({@code NAME-wal}) and flushes the
   * log alone ({@code fdatasync}); a large one, or one that finds the log full, is a checkpoint
   * that flushes the data file and then the log's header. The flush dominates a small commit;
   * {@link Db#batch} lets concurrent writers share it. Promises: a commit that returned survives
   * power loss; after one, the first open replays the log and the file is at the last commit that
   * reached the disk whole; a commit cut short by a power loss is set aside and reported ({@link
   * Db#discardedCommit()}).
   */
  SYNC,

  /**
   * Records are appended to the write-ahead log without a flush; the operating system writes them
   * back when it likes (checkpoints still flush, and the log is flushed when pages freed by
   * unflushed commits would otherwise pile up). Gives up durability: after power loss or an
   * operating system crash the file opens at an earlier commit — the last one whose record, and
   * every record before it, reached the disk — or, should that be impossible, fails with a {@link
   * CorruptDbException}. Page checksums and txids make a failure loud, never a wrong answer. For
   * bulk loads that can be redone, replicated stores whose log is elsewhere, and tests.
   */
  NO_SYNC
}
