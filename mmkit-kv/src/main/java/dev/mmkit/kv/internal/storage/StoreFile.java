package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.ClosedException;
import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.MmkitException;
import dev.mmkit.core.SharedLock;
import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.DbOptions;
import dev.mmkit.kv.DiscardedCommit;
import dev.mmkit.kv.Durability;
import dev.mmkit.kv.internal.page.Meta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * StoreFile is the engine under a {@code Db}: the open data file (written with positional writes,
 * read through its {@link MappingGenerations}), the lock file with the writer lock and the reader
 * table, the meta pages ({@link MetaPages}), the page caches, and the write side ({@link
 * StoreWriter}). It begins and ends the snapshots transactions read.
 */
public final class StoreFile implements AutoCloseable {
  private final Path path;
  private final DbOptions options;
  private final int pageSize;
  private final PageFile file;
  private final WriteAheadLog log;
  private final LockFile lock;
  private final MappingGenerations mappings;
  private final PageCaches caches = new PageCaches();
  private final MetaPages metaPages;
  private final StoreWriter writer = new StoreWriter(this);
  private final ConcurrentLinkedDeque<Integer> idleSlots = new ConcurrentLinkedDeque<>();
  private final boolean nativeViews;
  private volatile boolean closed;

  private StoreFile(
      Path path,
      DbOptions options,
      PageFile file,
      WriteAheadLog log,
      MappedFile mapped,
      LockFile lock,
      Meta meta) {
    this.path = path;
    this.options = options.pageSize(meta.pageSize()); // the file's, whatever was asked on open
    this.pageSize = meta.pageSize();
    this.file = file;
    this.log = log;
    this.lock = lock;
    this.mappings = new MappingGenerations(path, mapped, this::ensureOpen);
    this.metaPages = new MetaPages(path, meta, mappings, lock, caches, this::currentFileSize);
    this.nativeViews = StoreFile.class.getModule().isNativeAccessEnabled();
  }

  /** Opens (or creates) the database at {@code path}. */
  public static StoreFile open(Path path, DbOptions options, PageFile.Opener opener) {
    Path lockPath = path.resolveSibling(path.getFileName() + "-lock");
    boolean exists = Files.exists(path);
    if (!exists && !options.createIfMissing()) {
      throw new MmkitException(
          "no such database: file=" + path, new NoSuchFileException(path.toString()));
    }
    int claimedPageSize = validateBeforeLocking(path, opener);
    LockFile lock = LockFile.open(lockPath, options.readerSlots());
    PageFile file = null;
    WriteAheadLog log = null;
    MappedFile mapped = null;
    try {
      if (!options.readOnly()) {
        initialize(path, options, opener, lock);
      }
      int pageSize = claimedPageSize > 0 ? claimedPageSize : options.pageSize();
      DiscardedCommit recovered =
          LogRecovery.prepare(path, opener, lock, pageSize, options.logSize(), options.readOnly());
      file = opener.open(path, !options.readOnly());
      Meta newest = MetaReader.atOpen(file, path).newestFirst().getFirst();
      if (!options.readOnly() || Files.exists(WriteAheadLog.pathOf(path))) {
        log = WriteAheadLog.open(path, opener, !options.readOnly(), pageSize, options.logSize());
      }
      mapped = MappedFile.open(path, MapMode.READ_ONLY);
      StoreFile store = new StoreFile(path, options, file, log, mapped, lock, newest);
      store.metaPages.settleAtOpen(recovered);
      if (!options.readOnly()) {
        try {
          store.writer.cutLogAtOpen();
        } catch (RuntimeException e) {
          try {
            store.close();
          } catch (RuntimeException suppressed) {
            e.addSuppressed(suppressed);
          }
          throw e;
        }
      }
      return store;
    } catch (IOException e) {
      closeQuietly(file, log, mapped, lock);
      throw new MmkitException("cannot open database: file=" + path, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(file, log, mapped, lock);
      throw e;
    }
  }

  /**
   * Fails, before anything is created beside it, when {@code path} cannot be this store's data
   * file: a directory, a file it may not read, or a non-empty file whose meta pages are not those
   * of a database, unless the write-ahead log beside it names its page size (a power loss may have
   * torn both meta pages, which recovery rewrites). An empty or missing file is left to creation.
   * Returns the page size the file or its log claims, or -1 for an empty or missing file.
   */
  private static int validateBeforeLocking(Path path, PageFile.Opener opener) {
    if (Files.isDirectory(path)) {
      throw new CorruptDbException(-1, "not a database but a directory: file=" + path);
    }
    try {
      if (!Files.exists(path) || Files.size(path) == 0) {
        return -1;
      }
      try (PageFile probe = opener.open(path, false)) {
        return MetaReader.atOpen(probe, path).newestFirst().getFirst().pageSize();
      } catch (CorruptDbException e) {
        int logged = WriteAheadLog.claimedPageSize(WriteAheadLog.pathOf(path), opener);
        if (logged < 0) {
          throw e;
        }
        return logged;
      }
    } catch (IOException e) {
      throw new MmkitException("cannot open database: file=" + path + ", " + e, e);
    }
  }

  private static void initialize(
      Path path, DbOptions options, PageFile.Opener opener, LockFile lock) throws IOException {
    if (Files.exists(path) && Files.size(path) > 0) {
      return;
    }
    SharedLock.Guard guard = lock.writer().acquire();
    try {
      // Creates the file owner-only (0600) when it is missing, as mmkit-core creates every file.
      MappedFile.open(path, MapMode.READ_WRITE).close();
      if (Files.size(path) > 0) {
        return; // Another process created and initialized it first.
      }
      // A log left by an earlier database of this name must not be replayed over this one.
      Files.deleteIfExists(WriteAheadLog.pathOf(path));
      try (PageFile f = opener.open(path, true)) {
        int size = options.pageSize();
        long id = DatabaseIds.next();
        for (long txid = 0; txid < 2; txid++) {
          f.write(ByteBuffer.wrap(Meta.empty(txid, size, id).encode()), txid * size);
        }
        f.force(true);
      }
      syncDirectory(path);
    } finally {
      guard.close();
    }
  }

  static void syncDirectory(Path path) {
    Path dir = path.toAbsolutePath().getParent();
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | RuntimeException ignored) {
      // Not every platform lets a directory be opened; the file itself is synced.
    }
  }

  /**
   * Returns what this store set aside when it opened (see {@link DiscardedCommit}), or null when it
   * opened at the newest commit with both meta pages sound.
   */
  public DiscardedCommit discardedCommit() {
    return metaPages.discardedCommit();
  }

  /** Returns the data file's path. */
  public Path path() {
    return path;
  }

  /** Returns the options the store was opened with; the page size is the file's own. */
  public DbOptions options() {
    return options;
  }

  /** Returns the page size. */
  public int pageSize() {
    return pageSize;
  }

  /** Returns whether views may be bound to a transaction's arena (needs native access). */
  public boolean nativeViews() {
    return nativeViews;
  }

  LockFile lock() {
    return lock;
  }

  /**
   * Returns the write-ahead log, for the writer and the checker; null for a file opened read-only
   * without one.
   */
  public WriteAheadLog log() {
    return log;
  }

  /** Returns the data file, for positional writes by the writer. */
  public PageFile file() {
    return file;
  }

  MappingGenerations mappings() {
    return mappings;
  }

  /** Returns the meta pages as this process sees them. */
  public MetaPages metaPages() {
    return metaPages;
  }

  /** Returns the write side. */
  public StoreWriter writer() {
    return writer;
  }

  /** Returns the newest meta this process knows of. */
  public Meta latest() {
    return metaPages.latest();
  }

  /** Begins a read snapshot: claims a reader slot, publishes the txid and pins a mapping. */
  public Snapshot beginRead() {
    ensureOpen();
    Integer idle = idleSlots.pollFirst();
    int slot = idle != null ? idle : lock.claim();
    if (slot < 0) {
      throw LockFile.slotsFull(lock.path(), lock.slots());
    }
    try {
      return pinSnapshot(slot);
    } catch (RuntimeException | Error e) {
      lock.publish(slot, 0);
      idleSlots.offerFirst(slot);
      throw e;
    }
  }

  /**
   * Returns a snapshot of the newest stable meta (see {@link MetaPages#stableMeta}) through a
   * pinned mapping generation that covers all its pages; nothing stays pinned when it fails.
   */
  Snapshot pinSnapshot(int slot) {
    MappingGeneration g = mappings.pin(2L * pageSize);
    try {
      Meta meta = metaPages.stableMeta(g, slot);
      if (g.size < meta.pageCount() * pageSize) {
        MappingGeneration small = g;
        g = null;
        mappings.unpin(small);
        g = mappings.pin(meta.pageCount() * pageSize);
      }
      return new Snapshot(path, caches, meta, g, slot);
    } catch (RuntimeException | Error e) {
      if (g != null) {
        mappings.unpin(g);
      }
      throw e;
    }
  }

  /** Returns a writer's snapshot of {@code meta} through a pinned generation covering its pages. */
  Snapshot pinSnapshotOf(Meta meta) {
    MappingGeneration g = mappings.pin(Math.max(2, meta.pageCount()) * pageSize);
    return new Snapshot(path, caches, meta, g, -1);
  }

  /** Ends a read snapshot. */
  public void endRead(Snapshot s) {
    if (s.slot() >= 0 && !closed) {
      lock.publish(s.slot(), 0);
      idleSlots.offerFirst(s.slot());
    }
    mappings.unpin(s.generation());
  }

  long currentFileSize() {
    try {
      return file.size();
    } catch (IOException e) {
      throw new MmkitException("cannot read the file size: file=" + path, e);
    }
  }

  /** Returns the highest txid a commit started writing pages with this boot, or -1: unknown. */
  long attemptedTxid() {
    return lock.attemptedTxid();
  }

  /** Records that a commit with {@code txid} is about to write pages; under the writer lock. */
  public void recordAttempt(long txid) {
    lock.recordAttempt(txid);
  }

  /** Returns the oldest snapshot txid a live reader in any process uses. */
  public long oldestReader() {
    return lock.oldestReader();
  }

  /**
   * Writes a consistent copy of the newest commit to {@code target} and returns its txid; see
   * {@link Backup}.
   */
  public long backupTo(Path target) {
    ensureOpen();
    return Backup.copy(this, target);
  }

  /** Returns the durability of commits. */
  public Durability durability() {
    return options.durability();
  }

  /** Returns the number of readers with a published snapshot, in all processes. */
  public int activeReaders() {
    return lock.activeReaders();
  }

  /** Returns whether the store is closed. */
  public boolean isClosed() {
    return closed;
  }

  void ensureOpen() {
    if (closed) {
      throw new ClosedException("database is closed: file=" + path);
    }
  }

  /**
   * Closes the store. When no other process has the file open and its tail is unused, the file is
   * shrunk to the pages in use first.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (!options.readOnly()) {
      writer.shrinkAtClose();
    }
    mappings.close();
    for (Integer slot; (slot = idleSlots.pollFirst()) != null; ) {
      lock.release(slot);
    }
    closeQuietly(file, log, null, lock);
  }

  private static void closeQuietly(
      PageFile file, WriteAheadLog log, MappedFile mapped, LockFile lock) {
    for (AutoCloseable c : new AutoCloseable[] {file, log}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // Closing after a failure; the first failure is what the caller sees.
      }
    }
    if (mapped != null) {
      mapped.close();
    }
    if (lock != null) {
      lock.close();
    }
  }
}
