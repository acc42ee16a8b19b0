package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.TruncatedException;
import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.DiscardedCommit;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.Meta;
import dev.mmkit.kv.internal.page.PageLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.LongSupplier;

/**
 * MetaPages decides which of the two meta pages is the database, as this process sees it: at open,
 * the newest one whose commit reached the disk whole, setting aside the other; afterwards, for each
 * snapshot, the newest committed meta, published in its reader slot before it is used. It keeps the
 * newest meta this process knows of and what it set aside at open.
 */
public final class MetaPages {
  private static final System.Logger LOG = System.getLogger("dev.mmkit.kv");
  private static final int META_RETRIES = 1000;

  private final Path path;
  private final int pageSize;
  private final MappingGenerations mappings;
  private final LockFile lock;
  private final PageCaches caches;
  private final LongSupplier fileSize;
  private volatile Meta latest;
  private volatile long badMetaTxid = -1;
  private volatile int ignoredSlot = -1;
  private volatile byte[] ignoredPage;
  private DiscardedCommit discarded;

  /**
   * Starts from {@code newest}, the newest valid meta read at open; {@code fileSize} reads the data
   * file's size now.
   */
  MetaPages(
      Path path,
      Meta newest,
      MappingGenerations mappings,
      LockFile lock,
      PageCaches caches,
      LongSupplier fileSize) {
    this.path = path;
    this.pageSize = newest.pageSize();
    this.latest = newest;
    this.mappings = mappings;
    this.lock = lock;
    this.caches = caches;
    this.fileSize = fileSize;
  }

  /**
   * Decides which meta page is the database: the newest valid one whose commit reached the disk
   * whole ({@link CommitCompleteness}), else the other. What is set aside is kept as {@link
   * #discardedCommit()}, logged once, and ignored by later snapshots until a commit overwrites its
   * meta page. Repeats until both meta pages stayed the same while it decided, so that a writer in
   * another process cannot make it judge pages it was reusing meanwhile. {@code recovered} is what
   * the replay of the write-ahead log set aside, if anything; it is reported when nothing else is,
   * until the first commit after this open.
   */
  void settleAtOpen(DiscardedCommit recovered) {
    boolean cachesSuspect = false;
    while (true) {
      byte[][] before = metaPages();
      // Read after the meta pages: a writer grows the file before it writes the meta page that
      // needs the growth, so a size read here covers every commit those pages describe.
      long size = fileSize.getAsLong();
      MetaReader.Slots slots = MetaReader.decode(before, path);
      Meta chosen = null;
      int setAside = -1;
      String reason = null;
      long setAsideTxid = -1;
      for (Meta m : slots.newestFirst()) {
        String problem = incompleteness(m, size);
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
        caches.clear();
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
      } else if (recovered != null) {
        discarded = recovered;
      }
      if (discarded != null) {
        LOG.log(System.Logger.Level.WARNING, "mmkit-kv: " + path + ": " + discarded.message());
      }
      return;
    }
  }

  /**
   * Returns null when the commit of {@code m} reached the disk whole in a file of {@code size}
   * bytes, else what is missing.
   */
  private String incompleteness(Meta m, long size) {
    long needed = m.pageCount() * pageSize;
    if (needed > size) {
      return "file shorter than the commit: size=" + size + ", needed=" + needed;
    }
    MappingGeneration g = mappings.pin(needed);
    try {
      Snapshot s = new Snapshot(path, caches, m, g, -1);
      return s.read(() -> CommitCompleteness.problem(s));
    } catch (TruncatedException e) {
      return "file shrank while it was checked: " + e.getMessage();
    } finally {
      mappings.unpin(g);
    }
  }

  /** Returns copies of both meta pages as mapped now, {@code null} for one past the mapping. */
  private byte[][] metaPages() {
    MappingGeneration g = mappings.pin(2L * pageSize);
    try {
      byte[][] pages = new byte[2][pageSize];
      g.mapping.read(0, pages[0], 0, pageSize);
      g.mapping.read(pageSize, pages[1], 0, pageSize);
      return pages;
    } finally {
      mappings.unpin(g);
    }
  }

  /**
   * Returns what was set aside at open (see {@link DiscardedCommit}), or null when the store opened
   * at the newest commit with both meta pages sound.
   */
  DiscardedCommit discardedCommit() {
    return discarded;
  }

  /**
   * Returns what was set aside at open if its meta page still holds it (no commit has overwritten
   * it since), or null.
   */
  public DiscardedCommit discardedCommitStillOnDisk() {
    DiscardedCommit d = discarded;
    byte[] ignored = ignoredPage;
    if (d != null && ignored == null) {
      // Set aside by the log's replay, whose meta pages were rewritten: until the next commit.
      return latest.txid() == d.openedTxid() ? d : null;
    }
    if (d == null) {
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

  /** Returns the newest meta this process knows of. */
  Meta latest() {
    return latest;
  }

  /**
   * Returns the newest committed meta, published in {@code slot} (when not negative) before it is
   * used, and still the newest after publishing, so no writer can have reused its pages.
   */
  Meta stableMeta(MappingGeneration g, int slot) {
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

  /** Returns the txid of the newest meta page in the file, without verifying it. */
  private long peekTxid(MappingGeneration g) {
    long t0 = Bytes.getLong(g.segment, PageLayout.TXID);
    long t1 = Bytes.getLong(g.segment, pageSize + PageLayout.TXID);
    g.mapping.fence(); // Surfaces a pending fault before the values are used.
    return Math.max(t0, t1);
  }

  /**
   * Returns the meta of {@code txid}, retrying while it is being written; when it stays invalid,
   * the other (older) meta page.
   */
  private Meta newestMeta(MappingGeneration g, long txid) {
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

  /** Makes {@code m} the newest meta known, unless a newer one is. */
  synchronized void publishLatest(Meta m) {
    if (m.txid() > latest.txid()) {
      latest = m;
    }
  }
}
