package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.MappingAtomics;
import dev.mmkit.core.MmkitException;
import dev.mmkit.core.ProcessIdentity;
import dev.mmkit.core.SharedLock;
import dev.mmkit.kv.CorruptDbException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * LockFile is the mapped lock file beside a database ({@link LockFileLayout}): the writer lock and
 * the reader table shared by every process that opens the database.
 */
final class LockFile implements AutoCloseable {
  private static final long LIVENESS_RECHECK_NANOS = 250_000_000L;

  private final Path path;
  private final MappedFile file;
  private final Mapping mapping;
  private final MappingAtomics atomics;
  private final int slots;
  private final SharedLock writer;
  private final long me = ProcessIdentity.current().token();
  private final Map<Long, Long> aliveSince = new ConcurrentHashMap<>();

  private LockFile(Path path, MappedFile file, Mapping mapping, int slots) {
    this.path = path;
    this.file = file;
    this.mapping = mapping;
    this.atomics = mapping.atomics();
    this.slots = slots;
    this.writer = SharedLock.at(mapping, LockFileLayout.WRITER_LOCK);
  }

  /** Opens or creates the lock file; a new one gets {@code newSlots} reader slots. */
  static LockFile open(Path path, int newSlots) {
    MappedFile file = MappedFile.open(path, MapMode.READ_WRITE);
    try {
      long size = file.size();
      if (size < LockFileLayout.SLOTS) {
        file.grow(LockFileLayout.size(newSlots));
        size = file.size();
      }
      Mapping head = file.map(0, LockFileLayout.SLOTS);
      int slots;
      try {
        MappingAtomics a = head.atomics();
        if (a.getLongAcquire(LockFileLayout.MAGIC_OFFSET) == 0) {
          // First opener: publish the slot count, then the magic that makes it valid.
          a.compareAndSetInt(LockFileLayout.SLOT_COUNT, 0, newSlots);
          a.compareAndSetInt(LockFileLayout.VERSION_OFFSET, 0, LockFileLayout.VERSION);
          a.compareAndSetLong(LockFileLayout.MAGIC_OFFSET, 0, LockFileLayout.MAGIC);
        }
        if (a.getLongAcquire(LockFileLayout.MAGIC_OFFSET) != LockFileLayout.MAGIC
            || a.getIntAcquire(LockFileLayout.VERSION_OFFSET) != LockFileLayout.VERSION) {
          throw new CorruptDbException(
              -1,
              "not an mmkit-kv lock file: file="
                  + path
                  + " (delete it when no process has the database open)");
        }
        slots = a.getIntAcquire(LockFileLayout.SLOT_COUNT);
      } finally {
        head.close();
      }
      if (slots < 1 || slots > 65536) {
        throw new CorruptDbException(-1, "bad reader slot count in lock file: file=" + path);
      }
      long needed = LockFileLayout.size(slots);
      if (size < needed) {
        file.grow(needed);
      }
      return new LockFile(path, file, file.map(0, needed), slots);
    } catch (RuntimeException | Error e) {
      file.close();
      throw e;
    }
  }

  SharedLock writer() {
    return writer;
  }

  int slots() {
    return slots;
  }

  /**
   * Returns the highest txid a commit has started writing pages with during this boot, or -1 when
   * that is unknown (see {@link LockFileLayout}). Only the holder of the writer lock calls it.
   */
  long attemptedTxid() {
    if (!BootId.known()
        || atomics.getLongVolatile(LockFileLayout.BOOT_ID) != BootId.HIGH
        || atomics.getLongVolatile(LockFileLayout.BOOT_ID + 8) != BootId.LOW) {
      return -1;
    }
    return atomics.getLongVolatile(LockFileLayout.ATTEMPTED_TXID);
  }

  /**
   * Returns whether no writer has recorded this machine's current boot here: the machine restarted
   * since the last commit or recovery (or the lock file is new, or the boot is unknown), so the
   * data file may have lost writes that were never flushed and the write-ahead log must be replayed
   * before the file is read.
   */
  boolean needsRecovery() {
    return attemptedTxid() < 0;
  }

  /**
   * Records that a commit with {@code txid} is about to write pages. Only the holder of the writer
   * lock calls it, before the commit's first write.
   */
  void recordAttempt(long txid) {
    atomics.setLongVolatile(LockFileLayout.BOOT_ID, BootId.HIGH);
    atomics.setLongVolatile(LockFileLayout.BOOT_ID + 8, BootId.LOW);
    atomics.setLongVolatile(LockFileLayout.ATTEMPTED_TXID, txid);
  }

  /** Claims a free reader slot for this process; returns its index or -1 when all are taken. */
  int claim() {
    for (int pass = 0; pass < 2; pass++) {
      for (int i = 0; i < slots; i++) {
        long at = slotOffset(i);
        if (atomics.getLongAcquire(at + LockFileLayout.SLOT_OWNER) == 0
            && atomics.compareAndSetLong(at + LockFileLayout.SLOT_OWNER, 0, me)) {
          atomics.setLongVolatile(at + LockFileLayout.SLOT_TXID, 0);
          return i;
        }
      }
      clearDead(true);
    }
    return -1;
  }

  /** Publishes the snapshot txid a reader in slot {@code slot} uses (0 = idle). */
  void publish(int slot, long txid) {
    atomics.setLongVolatile(slotOffset(slot) + LockFileLayout.SLOT_TXID, txid);
  }

  /** Gives slot {@code slot} back. */
  void release(int slot) {
    long at = slotOffset(slot);
    atomics.setLongVolatile(at + LockFileLayout.SLOT_TXID, 0);
    atomics.compareAndSetLong(at + LockFileLayout.SLOT_OWNER, me, 0);
  }

  /**
   * Returns the oldest snapshot txid any live reader uses, or {@link Long#MAX_VALUE} when none.
   * Slots of dead processes are cleared on the way.
   */
  long oldestReader() {
    long oldest = Long.MAX_VALUE;
    for (int i = 0; i < slots; i++) {
      long at = slotOffset(i);
      long owner = atomics.getLongVolatile(at + LockFileLayout.SLOT_OWNER);
      if (owner == 0) {
        continue;
      }
      long txid = atomics.getLongVolatile(at + LockFileLayout.SLOT_TXID);
      if (txid == 0 || txid >= oldest) {
        continue;
      }
      if (owner != me && !alive(owner)) {
        clearSlot(at, owner);
        continue;
      }
      oldest = txid;
    }
    return oldest;
  }

  /** Returns the number of slots of live processes with a published snapshot. */
  int activeReaders() {
    clearDead(true);
    int n = 0;
    for (int i = 0; i < slots; i++) {
      long at = slotOffset(i);
      if (atomics.getLongVolatile(at + LockFileLayout.SLOT_OWNER) != 0
          && atomics.getLongVolatile(at + LockFileLayout.SLOT_TXID) != 0) {
        n++;
      }
    }
    return n;
  }

  /** Clears the slots of dead processes; with {@code force}, without the liveness cache. */
  void clearDead(boolean force) {
    if (force) {
      aliveSince.clear();
    }
    for (int i = 0; i < slots; i++) {
      long at = slotOffset(i);
      long owner = atomics.getLongVolatile(at + LockFileLayout.SLOT_OWNER);
      if (owner != 0 && owner != me && !alive(owner)) {
        clearSlot(at, owner);
      }
    }
  }

  private void clearSlot(long at, long owner) {
    if (atomics.compareAndSetLong(at + LockFileLayout.SLOT_OWNER, owner, -1)) {
      atomics.setLongVolatile(at + LockFileLayout.SLOT_TXID, 0);
      atomics.setLongVolatile(at + LockFileLayout.SLOT_OWNER, 0);
    }
  }

  private boolean alive(long token) {
    if (token == -1) {
      return true; // Being cleared by someone else right now.
    }
    long now = System.nanoTime();
    Long checked = aliveSince.get(token);
    if (checked != null && now - checked < LIVENESS_RECHECK_NANOS) {
      return true;
    }
    boolean alive = ProcessIdentity.isAlive(token);
    if (alive) {
      aliveSince.put(token, now);
    } else {
      aliveSince.remove(token);
    }
    return alive;
  }

  private static long slotOffset(int slot) {
    return LockFileLayout.SLOTS + (long) slot * LockFileLayout.SLOT_SIZE;
  }

  Path path() {
    return path;
  }

  @Override
  public void close() {
    try {
      mapping.close();
    } finally {
      file.close();
    }
  }

  static MmkitException slotsFull(Path path, int slots) {
    return new dev.mmkit.core.FullException(
        "all reader slots are in use: lockFile="
            + path
            + ", slots="
            + slots
            + " (end transactions sooner, or recreate the lock file with more readerSlots)");
  }
}
