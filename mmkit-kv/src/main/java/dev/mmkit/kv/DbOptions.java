package dev.mmkit.kv;

import dev.mmkit.kv.internal.page.PageLayout;
import dev.mmkit.kv.internal.storage.LockFileLayout;
import java.time.Duration;

/**
 * DbOptions are the settings a {@link Db} is opened with. Instances are immutable; each setter
 * returns a copy. Settings marked "on creation" are stored in the files and ignored when they
 * already exist.
 *
 * <pre>{@code
 * Db db = Db.open(path, DbOptions.defaults().durability(Durability.NO_SYNC));
 * }</pre>
 */
public final class DbOptions {
  private static final Duration FOREVER = Duration.ofNanos(Long.MAX_VALUE);
  private static final long DEFAULT_LOG_SIZE = 64L << 20;
  private static final long MIN_LOG_SIZE = 1L << 20;
  private static final long MAX_LOG_SIZE = 1L << 30;

  /** Environment variable that turns strict mode on for every database a process opens. */
  public static final String STRICT_ENVIRONMENT_VARIABLE = "MMKIT_KV_STRICT";

  private int pageSize;
  private Durability durability;
  private boolean readOnly;
  private boolean createIfMissing;
  private boolean checkAfterCommit;
  private boolean strict;
  private int readerSlots;
  private Duration writeLockTimeout;
  private long logSize;

  private DbOptions() {}

  private DbOptions copy() {
    DbOptions c = new DbOptions();
    c.pageSize = pageSize;
    c.durability = durability;
    c.readOnly = readOnly;
    c.createIfMissing = createIfMissing;
    c.checkAfterCommit = checkAfterCommit;
    c.strict = strict;
    c.readerSlots = readerSlots;
    c.writeLockTimeout = writeLockTimeout;
    c.logSize = logSize;
    return c;
  }

  /**
   * Returns the defaults: 4 KiB pages, {@link Durability#SYNC}, read-write, create when missing, no
   * check after commit, strict mode off unless the environment variable {@value
   * #STRICT_ENVIRONMENT_VARIABLE} is {@code 1} or {@code true}, 254 reader slots, a write
   * transaction that waits for the writer lock as long as it takes, and a 64 MiB write-ahead log.
   */
  public static DbOptions defaults() {
    DbOptions d = new DbOptions();
    d.pageSize = 4096;
    d.durability = Durability.SYNC;
    d.createIfMissing = true;
    d.strict = strictFromEnvironment();
    d.readerSlots = LockFileLayout.DEFAULT_SLOTS;
    d.writeLockTimeout = FOREVER;
    d.logSize = DEFAULT_LOG_SIZE;
    return d;
  }

  private static boolean strictFromEnvironment() {
    String value = System.getenv(STRICT_ENVIRONMENT_VARIABLE);
    return "1".equals(value) || "true".equalsIgnoreCase(value);
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
    DbOptions c = copy();
    c.pageSize = size;
    return c;
  }

  /** Returns a copy with another durability; see {@link Durability} for what each gives up. */
  public DbOptions durability(Durability mode) {
    if (mode == null) {
      throw new IllegalArgumentException("durability must not be null");
    }
    DbOptions c = copy();
    c.durability = mode;
    return c;
  }

  /**
   * Returns a copy that opens the database for reading only: write transactions fail, the data file
   * is never written, and the file must exist. The lock file beside it is still used to register
   * readers.
   */
  public DbOptions readOnly(boolean value) {
    DbOptions c = copy();
    c.readOnly = value;
    c.createIfMissing = createIfMissing && !value;
    return c;
  }

  /** Returns a copy that creates a missing database ({@code true}) or fails on one. */
  public DbOptions createIfMissing(boolean value) {
    DbOptions c = copy();
    c.createIfMissing = value;
    return c;
  }

  /**
   * Returns a copy that runs a full consistency check ({@link Db#check()}) after every commit and
   * fails the commit's caller when it finds a problem. The commit has been made by then; the check
   * only reports. It costs a walk of the whole file per commit: for tests, never for production.
   * {@link #strict} is the check that stops a broken commit before it is made.
   */
  public DbOptions checkAfterCommit(boolean value) {
    DbOptions c = copy();
    c.checkAfterCommit = value;
    return c;
  }

  /**
   * Returns a copy with strict mode on or off. In strict mode a commit checks every tree page it is
   * about to write, before its meta page makes any of them reachable: the structure of each page
   * (bounds, key order, references), that each branch orders its children (every separator at or
   * below its child's keys, every child's keys below the next separator, levels one apart), and
   * that every page written is referenced exactly once. When something is wrong the commit fails
   * with {@link CorruptDbException} and nothing of the transaction is committed: a bug in the
   * engine becomes an error instead of a broken tree on disk.
   *
   * <p>The cost is the check of each page the commit writes plus a read of the first and last key
   * of each unchanged child of a changed branch page: it does not show behind a durable commit's
   * flush or in large transactions, but a one-put {@link Durability#NO_SYNC} commit into a large
   * tree takes a few times the CPU (docs/BENCHMARKS.md has the measurement). Off by default for
   * that reason; the project's own tests run with it on everywhere, and it belongs in users' tests.
   */
  public DbOptions strict(boolean value) {
    DbOptions c = copy();
    c.strict = value;
    return c;
  }

  /**
   * Returns a copy with another number of reader slots in a new lock file (on creation): how many
   * read transactions may be open at once across all processes.
   */
  public DbOptions readerSlots(int slots) {
    if (slots < 1 || slots > 65536) {
      throw new IllegalArgumentException("reader slots must be in [1, 65536]: slots=" + slots);
    }
    DbOptions c = copy();
    c.readerSlots = slots;
    return c;
  }

  /**
   * Returns a copy whose write transactions wait at most {@code timeout} for the writer lock, which
   * one write transaction in any thread or process holds at a time; past it, beginning one fails
   * with {@link dev.mmkit.core.TimedOutException} naming the holder's process id. A holder that
   * died never blocks: its lock is taken over.
   */
  public DbOptions writeLockTimeout(Duration timeout) {
    if (timeout == null || timeout.isNegative()) {
      throw new IllegalArgumentException(
          "write lock timeout must not be negative: timeout=" + timeout);
    }
    DbOptions c = copy();
    c.writeLockTimeout = timeout.compareTo(FOREVER) > 0 ? FOREVER : timeout;
    return c;
  }

  /**
   * Returns a copy whose write-ahead log ({@code NAME-wal}) grows to at most {@code bytes}, from 1
   * MiB to 1 GiB. A small commit appends a record of the pages it wrote to the log and flushes only
   * the log; when the log is full, or a commit's record would exceed a quarter of it, the commit is
   * a checkpoint instead, which flushes the data file and starts the log over. A larger log means
   * fewer checkpoints and a longer replay at the first open after the machine restarts.
   */
  public DbOptions logSize(long bytes) {
    if (bytes < MIN_LOG_SIZE || bytes > MAX_LOG_SIZE) {
      throw new IllegalArgumentException("log size must be in [1 MiB, 1 GiB]: bytes=" + bytes);
    }
    DbOptions c = copy();
    c.logSize = bytes;
    return c;
  }

  /** Returns the size the write-ahead log grows to at most. */
  public long logSize() {
    return logSize;
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

  /** Returns whether commits run in strict mode; see {@link #strict(boolean)}. */
  public boolean strict() {
    return strict;
  }

  /** Returns how long a write transaction waits for the writer lock. */
  public Duration writeLockTimeout() {
    return writeLockTimeout;
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
        + ", strict="
        + strict
        + ", readerSlots="
        + readerSlots
        + ", writeLockTimeout="
        + (writeLockTimeout.equals(FOREVER) ? "none" : writeLockTimeout)
        + ", logSize="
        + logSize
        + "]";
  }
}
