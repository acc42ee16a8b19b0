package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.SharedLockLayout;

/**
 * LockFileLayout describes the lock file beside a database ({@code NAME-lock}): the writer lock
 * every process takes to write, and the reader table through which writers in any process learn
 * which snapshots readers still use. Words are in native byte order (the file never leaves the
 * machine); it is recreated from zeros when missing.
 *
 * <pre>
 *   0              8         12           16                  32                       64
 *   +--------------+---------+------------+-------------------+------------------------+
 *   | magic u64    | version | slot count | zero              | writer SharedLock      |
 *   |              | u32     | u32        |                   | (32 bytes)             |
 *   +--------------+---------+------------+-------------------+------------------------+
 *   64                 72                  88                  128
 *   +------------------+-------------------+-------------------+------------------------+
 *   | attempted txid   | boot id           | zero              | reader slots, 64 bytes |
 *   | u64              | (16 bytes)        |                   | each                   |
 *   +------------------+-------------------+-------------------+------------------------+
 *
 * reader slot (64 bytes, one cache line)
 *   0                     8                     16                                    64
 *   +---------------------+---------------------+--------------------------------------+
 *   | owner token u64     | snapshot txid u64   | zero                                 |
 *   | (0 = free)          | (0 = idle)          |                                      |
 *   +---------------------+---------------------+--------------------------------------+
 * </pre>
 *
 * <p>A process claims a slot by swapping its {@code ProcessIdentity} token into a free one, and
 * publishes the txid of the snapshot a read transaction uses while it runs. A writer reuses a page
 * freed by transaction {@code t} only when every published txid is at least {@code t}; slots of
 * dead processes are cleared by whoever notices.
 *
 * <p>Before a commit writes its first page, the writer records its txid as the <b>attempted
 * txid</b>, with the id of the machine's current boot. A commit that never finished (a crash, a
 * failed write, a power loss) may have left pages with that txid in the file; the next commit must
 * not use the txid again, or such a stale page would pass for one of its own at the next open. A
 * zero boot id, or another boot's, means the attempted txid is unknown: the page cache did not
 * survive, and anything up to the next txid may have been attempted. It also means the data file
 * may have lost writes it never flushed: the next open replays the write-ahead log first, then
 * records this boot's id.
 */
public final class LockFileLayout {
  /** The magic number, the ASCII bytes {@code mmkv-lck} in native order. */
  public static final long MAGIC = 0x6B636C2D766B6D6DL;

  /** The lock file format version. */
  public static final int VERSION = 1;

  /** Offset of the magic number. */
  public static final int MAGIC_OFFSET = 0;

  /** Offset of the version. */
  public static final int VERSION_OFFSET = 8;

  /** Offset of the slot count. */
  public static final int SLOT_COUNT = 12;

  /** Offset of the writer lock. */
  public static final int WRITER_LOCK = 32;

  /** Offset of the highest txid a commit started writing pages with. */
  public static final int ATTEMPTED_TXID = 64;

  /** Offset of the 16-byte id of the boot during which the attempted txid was recorded. */
  public static final int BOOT_ID = 72;

  /** Offset of the first reader slot. */
  public static final int SLOTS = 128;

  /** Size of a reader slot. */
  public static final int SLOT_SIZE = 64;

  /** Offset of the owner token in a slot. */
  public static final int SLOT_OWNER = 0;

  /** Offset of the snapshot txid in a slot. */
  public static final int SLOT_TXID = 8;

  /** Number of reader slots a new lock file gets. */
  public static final int DEFAULT_SLOTS = 254;

  static {
    if (WRITER_LOCK + SharedLockLayout.SIZE > SLOTS) {
      throw new AssertionError("writer lock overlaps the slots");
    }
  }

  private LockFileLayout() {}

  /** Returns the size of a lock file with {@code slots} reader slots. */
  public static long size(int slots) {
    return SLOTS + (long) slots * SLOT_SIZE;
  }
}
