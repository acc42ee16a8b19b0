package dev.mmkit.kv;

import dev.mmkit.kv.internal.LockFileLayout;
import dev.mmkit.kv.internal.PageLayout;

/**
 * DbOptions are the settings a {@link Db} is opened with. Instances are immutable; each setter
 * returns a copy. Settings marked "on creation" are stored in the files and ignored when they
 * already exist.
 *
 * <pre>{@code
 * Db db = Db.open(path, DbOptions.defaults().durability(Durability.NO_META_SYNC));
 * }</pre>
 */
public final class DbOptions {
  private final int pageSize;
  private final Durability durability;
  private final boolean readOnly;
  private final boolean createIfMissing;
  private final boolean checkAfterCommit;
  private final int readerSlots;

  private DbOptions(
      int pageSize,
      Durability durability,
      boolean readOnly,
      boolean createIfMissing,
      boolean checkAfterCommit,
      int readerSlots) {
    this.pageSize = pageSize;
    this.durability = durability;
    this.readOnly = readOnly;
    this.createIfMissing = createIfMissing;
    this.checkAfterCommit = checkAfterCommit;
    this.readerSlots = readerSlots;
  }

  /**
   * Returns the defaults: 4 KiB pages, {@link Durability#SYNC}, read-write, create when missing, no
   * check after commit, 254 reader slots.
   */
  public static DbOptions defaults() {
    return new DbOptions(4096, Durability.SYNC, false, true, false, LockFileLayout.DEFAULT_SLOTS);
  }

  /**
   * Returns a copy with another page size (on creation): a power of two from 4096 to 32768. Larger
   * pages mean fewer, larger writes per commit and shallower trees; keys are limited to 1 KiB
   * whatever the page size.
   */
  public DbOptions pageSize(int size) {
    if (!PageLayout.isValidPageSize(size)) {
      throw new IllegalArgumentException(
          "page size must be a power of two in [4096, 32768]: pageSize=" + size);
    }
    return new DbOptions(
        size, durability, readOnly, createIfMissing, checkAfterCommit, readerSlots);
  }

  /** Returns a copy with another durability; see {@link Durability} for what each gives up. */
  public DbOptions durability(Durability mode) {
    if (mode == null) {
      throw new IllegalArgumentException("durability must not be null");
    }
    return new DbOptions(pageSize, mode, readOnly, createIfMissing, checkAfterCommit, readerSlots);
  }

  /**
   * Returns a copy that opens the database for reading only: write transactions fail, the data file
   * is never written, and the file must exist. The lock file beside it is still used to register
   * readers.
   */
  public DbOptions readOnly(boolean value) {
    return new DbOptions(
        pageSize, durability, value, createIfMissing && !value, checkAfterCommit, readerSlots);
  }

  /** Returns a copy that creates a missing database ({@code true}) or fails on one. */
  public DbOptions createIfMissing(boolean value) {
    return new DbOptions(pageSize, durability, readOnly, value, checkAfterCommit, readerSlots);
  }

  /**
   * Returns a copy that runs a full consistency check ({@link Db#check()}) after every commit and
   * fails the commit's caller when it finds a problem. It costs a walk of the whole file per
   * commit: for tests, never for production.
   */
  public DbOptions checkAfterCommit(boolean value) {
    return new DbOptions(pageSize, durability, readOnly, createIfMissing, value, readerSlots);
  }

  /**
   * Returns a copy with another number of reader slots in a new lock file (on creation): how many
   * read transactions may be open at once across all processes.
   */
  public DbOptions readerSlots(int slots) {
    if (slots < 1 || slots > 65536) {
      throw new IllegalArgumentException("reader slots must be in [1, 65536]: slots=" + slots);
    }
    return new DbOptions(pageSize, durability, readOnly, createIfMissing, checkAfterCommit, slots);
  }

  /** Returns the page size used when a database is created. */
  public int pageSize() {
    return pageSize;
  }

  /** Returns the durability of commits. */
  public Durability durability() {
    return durability;
  }

  /** Returns whether the database is opened for reading only. */
  public boolean readOnly() {
    return readOnly;
  }

  /** Returns whether a missing database is created. */
  public boolean createIfMissing() {
    return createIfMissing;
  }

  /** Returns whether every commit is followed by a full consistency check. */
  public boolean checkAfterCommit() {
    return checkAfterCommit;
  }

  /** Returns the number of reader slots of a new lock file. */
  public int readerSlots() {
    return readerSlots;
  }

  @Override
  public String toString() {
    return "DbOptions[pageSize="
        + pageSize
        + ", durability="
        + durability
        + ", readOnly="
        + readOnly
        + ", createIfMissing="
        + createIfMissing
        + ", checkAfterCommit="
        + checkAfterCommit
        + ", readerSlots="
        + readerSlots
        + "]";
  }
}
