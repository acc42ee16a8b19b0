package dev.mmkit.kv.internal;

import dev.mmkit.core.ClosedException;
import dev.mmkit.core.MapMode;
import dev.mmkit.core.MappedFile;
import dev.mmkit.core.MmkitException;
import dev.mmkit.core.ProcessIdentity;
import dev.mmkit.core.SharedLock;
import dev.mmkit.core.TimedOutException;
import dev.mmkit.core.TruncatedException;
import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.DbOptions;
import dev.mmkit.kv.DiscardedCommit;
import dev.mmkit.kv.Durability;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Store is the engine under a {@code Db}: the data file (written with positional writes, read
 * through a read-only mapping), the mapping generations, the lock file with the writer lock and the
 * reader table, the verified-page cache, and the writer's free-page state.
 */
public final class Store implements AutoCloseable {
  private static final long MIN_GROWTH_STEP = 1L << 20;
  private static final long MAX_GROWTH_STEP = 64L << 20;
  private static final System.Logger LOG = System.getLogger("dev.mmkit.kv");
  private static final int META_RETRIES = 1000;
  private static final int WRITE_BATCH_PAGES = 64;

  private final Path path;
  private final DbOptions options;
  private final int pageSize;
  private final PageFile file;
  private final MappedFile mapped;
  private final LockFile lock;
  private final VerifiedPages verified = new VerifiedPages();
  private final BranchIndex branches = new BranchIndex();
  private final ReentrantLock writeMutex = new ReentrantLock();
  private final ConcurrentLinkedDeque<Integer> idleSlots = new ConcurrentLinkedDeque<>();
  private final List<Generation> retired = new ArrayList<>();
  private final boolean nativeViews;
  private volatile Generation generation;
  private volatile Meta latest;
  private volatile boolean closed;
  private volatile long badMetaTxid = -1;
  private volatile int ignoredSlot = -1;
  private volatile byte[] ignoredPage;
  private DiscardedCommit discarded;
  private FreeState freeState;
  private ByteBuffer writeBuffer;
  private ByteBuffer zeros;

  /**
   * The data file's size as last read or written here; read again whenever another process may have
   * grown it.
   */
  private long fileSize;

  private Store(
      Path path, DbOptions options, PageFile file, MappedFile mapped, LockFile lock, Meta meta) {
    this.path = path;
    this.options = options.pageSize(meta.pageSize()); // the file's, whatever was asked on open
    this.pageSize = meta.pageSize();
    this.file = file;
    this.mapped = mapped;
    this.lock = lock;
    this.latest = meta;
    this.generation = new Generation(mapped.map(0, mapped.size()));
    this.nativeViews = Store.class.getModule().isNativeAccessEnabled();
  }

  /** Opens (or creates) the database at {@code path}. */
  public static Store open(Path path, DbOptions options, PageFile.Opener opener) {
    Path lockPath = path.resolveSibling(path.getFileName() + "-lock");
    boolean exists = Files.exists(path);
    if (!exists && !options.createIfMissing()) {
      throw new MmkitException(
          "no such database: file=" + path, new NoSuchFileException(path.toString()));
    }
    validateBeforeLocking(path, opener);
    LockFile lock = LockFile.open(lockPath, options.readerSlots());
    PageFile file = null;
    MappedFile mapped = null;
    try {
      if (!options.readOnly()) {
        initialize(path, options, opener, lock);
      }
      file = opener.open(path, !options.readOnly());
      Meta newest = MetaReader.atOpen(file, path).newestFirst().getFirst();
      mapped = MappedFile.open(path, MapMode.READ_ONLY);
      Store store = new Store(path, options, file, mapped, lock, newest);
      store.settleAtOpen();
      return store;
    } catch (IOException e) {
      closeQuietly(file, mapped, lock);
      throw new MmkitException("cannot open database: file=" + path, e);
    } catch (RuntimeException | Error e) {
      closeQuietly(file, mapped, lock);
      throw e;
    }
  }

  /**
   * Fails, before anything is created beside it, when {@code path} cannot be this store's data
   * file: a directory, a file it may not read, or a non-empty file whose meta pages are not those
   * of a database. An empty or missing file is left to creation.
   */
  private static void validateBeforeLocking(Path path, PageFile.Opener opener) {
    if (Files.isDirectory(path)) {
      throw new CorruptDbException(-1, "not a database but a directory: file=" + path);
    }
    try {
      if (!Files.exists(path) || Files.size(path) == 0) {
        return;
      }
      try (PageFile probe = opener.open(path, false)) {
        MetaReader.atOpen(probe, path);
      }
    } catch (IOException e) {
      throw new MmkitException("cannot open database: file=" + path + ", " + e, e);
    }
  }

  private static CorruptDbException shorterThanMeta(Path path, long size, long expected) {
    return new CorruptDbException(
        -1,
        "database file is shorter than its meta page says (truncated): file="
            + path
            + ", size="
            + size
            + ", expected="
            + expected);
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
      try (PageFile f = opener.open(path, true)) {
        int size = options.pageSize();
        BucketHeader empty = BucketHeader.EMPTY;
        for (long txid = 0; txid < 2; txid++) {
          Meta m = new Meta(txid, size, 2, empty, 0, 0, 0, 0);
          f.write(ByteBuffer.wrap(m.encode()), txid * size);
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
   * Decides which meta page is the database: the newest valid one whose commit reached the disk
   * whole ({@link CommitCompleteness}), else the other. What is set aside is kept as {@link
   * #discardedCommit()}, logged once, and ignored by later snapshots until a commit overwrites its
   * meta page. Repeats until both meta pages stayed the same while it decided, so that a writer in
   * another process cannot make it judge pages it was reusing meanwhile.
   */
  private void settleAtOpen() {
    boolean cachesSuspect = false;
    while (true) {
      byte[][] before = metaPages();
      // Read after the meta pages: a writer grows the file before it writes the meta page that
      // needs the growth, so a size read here covers every commit those pages describe.
      fileSize = currentFileSize();
      MetaReader.Slots slots = MetaReader.decode(before, path);
      Meta chosen = null;
      int setAside = -1;
      String reason = null;
      long setAsideTxid = -1;
      for (Meta m : slots.newestFirst()) {
        String problem = incompleteness(m);
        if (problem == null) {
          chosen = m;
          break;
        }
        cachesSuspect = true;
        setAside = (int) (m.txid() & 1);
        setAsideTxid = m.txid();
        reason = problem;
      }
      if (!Arrays.equals(before[0], metaPages()[0]) || !Arrays.equals(before[1], metaPages()[1])) {
        cachesSuspect = true;
        continue;
      }
      if (cachesSuspect) {
        verified.clear();
        branches.clear();
      }
      if (chosen == null) {
        throw new CorruptDbException(
            setAside, "no meta page describes a whole commit: file=" + path + ", " + reason);
      }
      int other = (int) ((chosen.txid() + 1) & 1);
      if (setAside < 0 && slots.problems()[other] != null) {
        setAside = other;
        reason = slots.problems()[other];
      }
      latest = chosen;
      if (setAside >= 0) {
        ignoredPage = before[setAside];
        ignoredSlot = setAside;
        discarded = new DiscardedCommit(setAside, setAsideTxid, reason, chosen.txid());
        LOG.log(System.Logger.Level.WARNING, "mmkit-kv: " + path + ": " + discarded.message());
      }
      return;
    }
  }

  /** Returns null when the commit of {@code m} reached the disk whole, else what is missing. */
  private String incompleteness(Meta m) {
    long needed = m.pageCount() * pageSize;
    if (needed > fileSize) {
      return "file shorter than the commit: size=" + fileSize + ", needed=" + needed;
    }
    Generation g = pin(needed);
    try {
      Snapshot s = new Snapshot(this, m, g, -1);
      return s.read(() -> CommitCompleteness.problem(s));
    } catch (TruncatedException e) {
      return "file shrank while it was checked: " + e.getMessage();
    } finally {
      unpin(g);
    }
  }

  /** Returns copies of both meta pages as mapped now, {@code null} for one past the mapping. */
  private byte[][] metaPages() {
    Generation g = pin(2L * pageSize);
    try {
      byte[][] pages = new byte[2][pageSize];
      g.mapping.read(0, pages[0], 0, pageSize);
      g.mapping.read(pageSize, pages[1], 0, pageSize);
      return pages;
    } finally {
      unpin(g);
    }
  }

  /**
   * Returns what this store set aside when it opened (see {@link DiscardedCommit}), or null when it
   * opened at the newest commit with both meta pages sound.
   */
  public DiscardedCommit discardedCommit() {
    return discarded;
  }

  /**
   * Returns what was set aside at open if its meta page still holds it (no commit has overwritten
   * it since), or null.
   */
  public DiscardedCommit discardedCommitStillOnDisk() {
    DiscardedCommit d = discarded;
    byte[] ignored = ignoredPage;
    if (d == null || ignored == null) {
      return null;
    }
    return Arrays.equals(metaPages()[d.metaPage()], ignored) ? d : null;
  }

  /**
   * Returns, per meta page as it is on disk now, why it fails its checks, or null for a sound one.
   */
  public String[] metaPageProblems() {
    byte[][] pages = metaPages();
    String[] problems = new String[2];
    for (int id = 0; id < 2; id++) {
      try {
        Meta.decode(pages[id], id, path);
      } catch (CorruptDbException e) {
        problems[id] = e.getMessage();
      }
    }
    return problems;
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
  boolean nativeViews() {
    return nativeViews;
  }

  VerifiedPages verified() {
    return verified;
  }

  BranchIndex branches() {
    return branches;
  }

  LockFile lock() {
    return lock;
  }

  PageFile file() {
    return file;
  }

  /** Returns the newest meta this process knows of. */
  public Meta latest() {
    return latest;
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
   * Returns a snapshot of the newest stable meta (see {@link #stableMeta}) through a pinned mapping
   * generation that covers all its pages; nothing stays pinned when it fails.
   */
  private Snapshot pinSnapshot(int slot) {
    Generation g = pin(2L * pageSize);
    try {
      Meta meta = stableMeta(g, slot);
      if (g.size < meta.pageCount() * pageSize) {
        Generation small = g;
        g = null;
        unpin(small);
        g = pin(meta.pageCount() * pageSize);
      }
      return new Snapshot(this, meta, g, slot);
    } catch (RuntimeException | Error e) {
      if (g != null) {
        unpin(g);
      }
      throw e;
    }
  }

  /**
   * Returns the newest committed meta, published in {@code slot} (when not negative) before it is
   * used, and still the newest after publishing, so no writer can have reused its pages.
   */
  private Meta stableMeta(Generation g, int slot) {
    while (true) {
      long seen = peekTxid(g);
      if (slot >= 0) {
        lock.publish(slot, seen);
      }
      Meta meta = newestMeta(g, seen);
      if (slot >= 0 && meta.txid() < seen) {
        lock.publish(slot, meta.txid());
      }
      if (meta.txid() <= seen && peekTxid(g) == seen) {
        return meta;
      }
    }
  }

  /** Ends a read snapshot. */
  public void endRead(Snapshot s) {
    if (s.slot() >= 0 && !closed) {
      lock.publish(s.slot(), 0);
      idleSlots.offerFirst(s.slot());
    }
    unpin(s.generation());
  }

  /** Returns the txid of the newest meta page in the file, without verifying it. */
  private long peekTxid(Generation g) {
    long t0 = Bytes.getLong(g.segment, PageLayout.TXID);
    long t1 = Bytes.getLong(g.segment, pageSize + PageLayout.TXID);
    g.mapping.fence(); // Surfaces a pending fault before the values are used.
    return Math.max(t0, t1);
  }

  /**
   * Returns the meta of {@code txid}, retrying while it is being written; when it stays invalid,
   * the other (older) meta page.
   */
  private Meta newestMeta(Generation g, long txid) {
    Meta known = latest;
    if (known.txid() == txid) {
      return known;
    }
    byte[] buf = new byte[pageSize];
    CorruptDbException failure = null;
    int retries = txid == badMetaTxid ? 1 : META_RETRIES;
    for (int attempt = 0; attempt < retries; attempt++) {
      g.mapping.read((txid & 1) * pageSize, buf, 0, pageSize);
      if (isIgnored((int) (txid & 1), buf)) {
        failure = new CorruptDbException(txid & 1, "meta page set aside at open: file=" + path);
        break;
      }
      try {
        Meta m = Meta.decode(buf, txid & 1, path);
        publishLatest(m);
        return m;
      } catch (CorruptDbException e) {
        failure = e;
        Thread.onSpinWait();
      }
    }
    badMetaTxid = txid;
    g.mapping.read(((txid + 1) & 1) * pageSize, buf, 0, pageSize);
    try {
      Meta m = Meta.decode(buf, (txid + 1) & 1, path);
      publishLatest(m);
      return m;
    } catch (CorruptDbException e) {
      e.addSuppressed(failure);
      throw e;
    }
  }

  /** Returns whether meta page {@code slot} still holds what was set aside at open. */
  private boolean isIgnored(int slot, byte[] page) {
    byte[] ignored = ignoredPage;
    return slot == ignoredSlot && ignored != null && Arrays.equals(page, ignored);
  }

  private synchronized void publishLatest(Meta m) {
    if (m.txid() > latest.txid()) {
      latest = m;
    }
  }

  /** Pins a mapping generation that covers {@code bytes}, remapping when the file grew. */
  private Generation pin(long bytes) {
    while (true) {
      Generation g = generation;
      if (g.size >= bytes) {
        if (g.enter()) {
          return g;
        }
        continue;
      }
      remap(bytes);
    }
  }

  private synchronized void remap(long bytes) {
    ensureOpen();
    Generation g = generation;
    if (g.size >= bytes) {
      return;
    }
    long size = mapped.size();
    if (size < bytes) {
      throw shorterThanMeta(path, size, bytes);
    }
    generation = new Generation(mapped.map(0, size));
    g.retired = true;
    retired.add(g);
    reap();
  }

  private void unpin(Generation g) {
    g.exit();
    if (g.retired) {
      reap();
    }
  }

  /** Unmaps retired generations nobody uses, off the calling thread. */
  private synchronized void reap() {
    for (int i = retired.size() - 1; i >= 0; i--) {
      Generation g = retired.get(i);
      if (g.idle()) {
        retired.remove(i);
        Thread.ofVirtual().name("mmkit-kv-unmap").start(g.mapping::close);
      }
    }
  }

  /**
   * Begins the write side: takes the in-process and the cross-process writer locks, reads the
   * newest meta and makes sure the free-page state matches it. Must be ended by {@link #endWrite}
   * on the same thread.
   */
  public WriteLease beginWrite() {
    ensureOpen();
    if (options.readOnly()) {
      throw new IllegalStateException("database is open read-only: file=" + path);
    }
    Duration timeout = options.writeLockTimeout();
    long start = System.nanoTime();
    lockWriteMutex(timeout);
    SharedLock.Guard guard = null;
    Snapshot s = null;
    try {
      long left = timeout.toNanos();
      if (left != Long.MAX_VALUE) {
        left = Math.max(0, left - (System.nanoTime() - start));
      }
      guard = acquireWriterLock(left);
      s = pinSnapshot(-1);
      if (freeState == null || freeState.txid != s.txid()) {
        // Another process committed, or a commit here failed: both may have grown the file.
        freeState = null;
        freeState = FreeState.load(s);
        fileSize = currentFileSize();
      }
      return new WriteLease(s, guard, freeState);
    } catch (RuntimeException | Error e) {
      if (s != null) {
        unpin(s.generation());
      }
      if (guard != null) {
        guard.close();
      }
      writeMutex.unlock();
      throw e;
    }
  }

  /** Takes the in-process writer mutex, waiting at most {@code timeout}. */
  private void lockWriteMutex(Duration timeout) {
    try {
      if (!writeMutex.tryLock(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
        throw writerBusy(
            timeout, "another thread of this process, pid=" + ProcessHandle.current().pid());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new MmkitException("interrupted while waiting for the writer lock: file=" + path, e);
    }
  }

  /** Takes the cross-process writer lock, waiting at most {@code nanos}. */
  private SharedLock.Guard acquireWriterLock(long nanos) {
    try {
      return lock.writer().acquire(Duration.ofNanos(nanos));
    } catch (TimedOutException e) {
      long owner = lock.writer().ownerToken();
      String holder =
          owner == 0 ? "a holder that just let go" : "pid=" + ProcessIdentity.pidOf(owner);
      throw writerBusy(Duration.ofNanos(nanos), holder);
    }
  }

  private TimedOutException writerBusy(Duration timeout, String holder) {
    return new TimedOutException(
        "the writer lock stayed busy: file="
            + path
            + ", timeout="
            + timeout
            + ", holder="
            + holder);
  }

  /** Ends the write side; {@code committed} is the new meta or null after a rollback. */
  public void endWrite(WriteLease lease, Meta committed, boolean stateValid) {
    try {
      if (committed != null) {
        publishLatest(committed);
      }
      if (!stateValid) {
        freeState = null;
      }
      unpin(lease.snapshot().generation());
    } finally {
      try {
        lease.guard().close();
      } finally {
        writeMutex.unlock();
      }
    }
  }

  private long currentFileSize() {
    try {
      return file.size();
    } catch (IOException e) {
      throw new MmkitException("cannot read the file size: file=" + path, e);
    }
  }

  /** Returns the oldest snapshot txid a live reader in any process uses. */
  long oldestReader() {
    return lock.oldestReader();
  }

  /**
   * Makes sure the file is at least {@code bytes} long, returning whether it grew. It grows in
   * steps of an eighth of its size (1 to 64 MiB) and writes zeros over the new part, so the space
   * is really allocated: a full disk fails here with an exception, never later as a fault in a
   * mapped read, and writes into the new pages are overwrites that a data flush alone makes
   * durable. The caller holds the write lease and must flush with metadata ({@code fsync}) before
   * relying on the new part.
   */
  boolean ensureFileSize(long bytes) throws IOException {
    if (fileSize >= bytes) {
      return false;
    }
    long step = Math.clamp(fileSize / 8, MIN_GROWTH_STEP, MAX_GROWTH_STEP);
    long target = Math.max(bytes, fileSize + step);
    target = (target + pageSize - 1) / pageSize * pageSize;
    if (zeros == null) {
      zeros = ByteBuffer.allocateDirect((int) MIN_GROWTH_STEP);
    }
    for (long at = fileSize; at < target; ) {
      int n = (int) Math.min(zeros.capacity(), target - at);
      file.write(zeros.clear().limit(n), at);
      at += n;
    }
    fileSize = target;
    return true;
  }

  /**
   * Returns the writer's buffer for batches of pages, cleared; only the thread holding the write
   * lease may use it, until it ends the lease.
   */
  ByteBuffer writeBuffer() {
    if (writeBuffer == null) {
      writeBuffer = ByteBuffer.allocateDirect(WRITE_BATCH_PAGES * pageSize);
    }
    return writeBuffer.clear();
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
  Durability durability() {
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

  private void ensureOpen() {
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
    long keep = -1;
    if (!options.readOnly() && writeMutex.tryLock()) {
      try {
        SharedLock.Guard guard = lock.writer().tryAcquire();
        if (guard != null) {
          try {
            keep = shrinkTarget();
            closeMappings();
            if (keep > 0) {
              shrink(keep);
            }
          } finally {
            guard.close();
          }
        }
      } finally {
        writeMutex.unlock();
      }
    }
    closeMappings();
    for (Integer slot; (slot = idleSlots.pollFirst()) != null; ) {
      lock.release(slot);
    }
    closeQuietly(file, null, lock);
  }

  private long shrinkTarget() {
    try {
      Generation g = pin(2L * pageSize);
      Meta m;
      try {
        m = stableMeta(g, -1);
      } finally {
        unpin(g);
      }
      long keep = m.pageCount() * pageSize;
      return file.size() > keep ? keep : -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private void shrink(long keep) {
    try (MappedFile rw = MappedFile.open(path, MapMode.READ_WRITE)) {
      rw.truncate(keep);
    } catch (RuntimeException othersHaveItOpen) {
      // Another process maps the file: keep the space, a later close will give it back.
    }
  }

  private synchronized void closeMappings() {
    mapped.close();
    retired.clear();
  }

  private static void closeQuietly(PageFile file, MappedFile mapped, LockFile lock) {
    try {
      if (file != null) {
        file.close();
      }
    } catch (IOException | RuntimeException ignored) {
      // Closing after a failure; the first failure is what the caller sees.
    }
    if (mapped != null) {
      mapped.close();
    }
    if (lock != null) {
      lock.close();
    }
  }
}
