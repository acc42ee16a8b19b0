package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.FullException;
import dev.mmkit.kv.internal.page.BucketHeader;
import dev.mmkit.kv.internal.page.FreelistBody;
import dev.mmkit.kv.internal.page.FreelistLayout;
import dev.mmkit.kv.internal.page.FreelistRecord;
import dev.mmkit.kv.internal.page.Meta;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * FreeState is the writer's view of page allocation, loaded from the freelist chain ({@link
 * FreelistLayout}) and kept in memory between commits: the page count, the free pages, the pending
 * pages per freeing txid, and the chain itself. A commit allocates from it, then appends one record
 * describing what changed.
 */
public final class FreeState {
  /** Delta pages a small checkpoint may be followed by before the next one. */
  private static final int MIN_DELTA_PAGES = 16;

  long txid;
  long pageCount;
  final BitSet free = new BitSet();
  final TreeMap<Long, long[]> pending = new TreeMap<>();
  long head;
  long headTxid;
  int deltaPages;
  int checkpointPages;
  final LongList chainPages = new LongList();

  /** Pages the commit under way wrote (tree pages and overflow runs), reused or new. */
  private LongList written = new LongList();

  private long matured;

  /** Reads the state of {@code meta} by replaying its freelist chain. */
  public static FreeState load(Snapshot s) {
    Meta meta = s.meta();
    FreeState st = new FreeState();
    st.txid = meta.txid();
    st.pageCount = meta.pageCount();
    st.head = meta.freelistHead();
    st.headTxid = meta.freelistHeadTxid();
    st.deltaPages = meta.deltaPages();
    st.checkpointPages = meta.checkpointPages();
    if (meta.freelistHead() == 0) {
      return st;
    }
    List<FreelistRecord> records = FreelistRecord.readChain(s, meta);
    for (int i = records.size() - 1; i >= 0; i--) {
      FreelistRecord r = records.get(i);
      for (long p : r.pages()) {
        st.chainPages.add(p);
      }
      st.apply(s, r);
    }
    if (st.pageCount != meta.pageCount()) {
      throw s.corrupt(
          meta.freelistHead(),
          "freelist disagrees with meta: pageCount=" + st.pageCount + ", meta=" + meta.pageCount());
    }
    return st;
  }

  private void apply(Snapshot s, FreelistRecord r) {
    switch (r.body(s)) {
      case FreelistBody.Checkpoint c -> {
        pageCount = c.pageCount();
        free.clear();
        pending.clear();
        forEachPage(c.freeRuns(), (first, n) -> free.set((int) first, (int) (first + n)));
        c.pendingRuns().forEach((t, runs) -> pending.put(t, ids(runs)));
      }
      case FreelistBody.Delta d -> {
        mature(d.matured());
        long oldCount = pageCount;
        long bound = Math.max(pageCount, d.pageCount());
        checkBelow(s, r, d.writtenRuns(), bound);
        checkBelow(s, r, d.freedRuns(), bound);
        forEachPage(
            d.writtenRuns(),
            (first, n) -> {
              for (long id = first; id < Math.min(first + n, oldCount); id++) {
                if (!free.get((int) id)) {
                  throw s.corrupt(
                      r.pages()[0], "freelist record writes a page that was not free: id=" + id);
                }
              }
              free.clear((int) first, (int) (first + n));
            });
        for (long p : r.pages()) {
          free.clear((int) p);
        }
        if (d.freedRuns().length > 0) {
          pending.put(d.txid(), ids(d.freedRuns()));
        }
        pageCount = d.pageCount();
        free.clear((int) pageCount, Math.max((int) pageCount, free.length()));
      }
    }
    txid = r.txid();
  }

  /**
   * Checks that a delta's runs end at or below {@code bound}, the larger of its two page counts.
   */
  private static void checkBelow(Snapshot s, FreelistRecord r, long[] runs, long bound) {
    for (long run : runs) {
      long end = FreelistLayout.runStart(run) + FreelistLayout.runLength(run);
      if (end > bound) {
        throw s.corrupt(
            r.pages()[0], "freelist run past the page count: end=" + end + ", pageCount=" + bound);
      }
    }
  }

  private static void forEachPage(long[] runs, RunSink sink) {
    for (long run : runs) {
      sink.accept(FreelistLayout.runStart(run), FreelistLayout.runLength(run));
    }
  }

  private static long[] ids(long[] runs) {
    LongList ids = new LongList();
    forEachPage(runs, ids::addRange);
    return ids.toArray();
  }

  /** Moves pending pages freed by transactions up to {@code upTo} into the free set. */
  void mature(long upTo) {
    Map<Long, long[]> ripe = pending.headMap(upTo, true);
    for (long[] ids : ripe.values()) {
      for (long id : ids) {
        free.set((int) id);
      }
    }
    ripe.clear();
  }

  /** Starts a commit: matures what no reader can see any more. */
  public void beginCommit(long matureUpTo) {
    matured = Math.max(0, matureUpTo);
    mature(matured);
    written = new LongList();
  }

  /** Allocates a run of {@code n} pages for the commit and returns its first page id. */
  public long allocate(long n) {
    return take(n, true);
  }

  private long take(long n, boolean recorded) {
    long first = find(n);
    if (recorded) {
      written.addRange(first, n);
    }
    return first;
  }

  /** Takes a run of {@code n} pages out of the free set or off the end; returns its first page. */
  private long find(long n) {
    if (n == 1) {
      int id = free.nextSetBit(2);
      if (id >= 0 && id < pageCount) {
        free.clear(id);
        return id;
      }
    } else {
      for (int i = free.nextSetBit(2); i >= 0 && i < pageCount; ) {
        int j = free.nextClearBit(i);
        if (j - i >= n) {
          free.clear(i, (int) (i + n));
          return i;
        }
        i = free.nextSetBit(j);
      }
    }
    long first = pageCount;
    if (pageCount > 2 && free.get((int) (pageCount - 1))) {
      first = Math.max(2, free.previousClearBit((int) (pageCount - 1)) + 1);
      free.clear((int) first, (int) pageCount);
    }
    if (first + n > Integer.MAX_VALUE) {
      throw new FullException("database reached its page limit: pages=" + (first + n));
    }
    pageCount = Math.max(pageCount, first + n);
    return first;
  }

  /**
   * Ends a commit of transaction {@code t} that freed {@code freed} (sorted, unique): adds them to
   * the pending pages, trims a free tail, and returns the freelist pages to write.
   */
  public List<byte[]> finishCommit(long t, long[] freed, int pageSize) {
    long[] writtenRuns = runs(written.sortedUnique());
    long[] freedRuns = runs(freed);
    trim();
    FreelistBody delta = new FreelistBody.Delta(t, pageCount, matured, writtenRuns, freedRuns);
    int deltaCount = FreelistRecord.pagesFor(delta, pageSize);
    boolean checkpoint = head == 0 || deltaPages + deltaCount > deltaLimit() || chainPinsTail();
    long[] pages;
    FreelistBody body;
    if (!checkpoint) {
      pages = takePages(deltaCount);
      if (freed.length > 0) {
        pending.put(t, freed);
      }
      trim();
      body = new FreelistBody.Delta(t, pageCount, matured, writtenRuns, freedRuns);
      deltaPages += deltaCount;
    } else {
      LongList released = new LongList(freed.length + chainPages.size());
      for (long id : freed) {
        released.add(id);
      }
      released.addAll(chainPages);
      long[] all = released.sortedUnique();
      if (all.length > 0) {
        pending.put(t, all);
      }
      chainPages.clear();
      // Taking the record's pages only shortens free runs (the lowest free pages go first), so
      // the record written after fits the pages counted before.
      int count = FreelistRecord.pagesFor(checkpoint(t, writtenRuns), pageSize);
      pages = takePages(count);
      trim();
      body = checkpoint(t, writtenRuns);
      deltaPages = 0;
      checkpointPages = count;
    }
    for (long p : pages) {
      chainPages.add(p);
    }
    List<byte[]> out = FreelistRecord.encode(body, pages, head, headTxid, pageSize);
    head = pages[0];
    headTxid = t;
    txid = t;
    return out;
  }

  /**
   * Returns how many delta pages may follow the checkpoint: four times its own pages, at least
   * {@link #MIN_DELTA_PAGES}. Each commit writes a delta; a checkpoint rewrites the whole list, so
   * letting the deltas reach a multiple of it keeps a commit's share of the checkpoints at a
   * fraction of a page, while opening the file still reads at most five times the checkpoint.
   */
  private int deltaLimit() {
    return (int) Math.min(Integer.MAX_VALUE, Math.max(MIN_DELTA_PAGES, 4L * checkpointPages));
  }

  /**
   * Returns whether only freelist pages keep a large free tail from being trimmed, while free pages
   * below it could hold them: then a checkpoint moves the chain down.
   */
  private boolean chainPinsTail() {
    if (chainPages.isEmpty()) {
      return false;
    }
    long[] chain = chainPages.sortedUnique();
    int c = chain.length - 1;
    long p = pageCount - 1;
    boolean pinned = false;
    while (p >= 2) {
      while (c >= 0 && chain[c] > p) {
        c--;
      }
      if (c >= 0 && chain[c] == p) {
        pinned = true;
        c--;
      } else if (!free.get((int) p)) {
        break;
      }
      p--;
    }
    int lowest = free.nextSetBit(2);
    if (!pinned || lowest < 0) {
      return false;
    }
    long newEnd = Math.max(p + 1, lowest + (long) checkpointPages + 1);
    return pageCount - newEnd >= Math.max(16, pageCount / 8);
  }

  /**
   * Takes {@code count} single pages (at least one) for the freelist record being written; they are
   * not recorded as written by the commit, since the record itself lists its pages.
   */
  private long[] takePages(int count) {
    long[] pages = new long[Math.max(1, count)];
    for (int i = 0; i < pages.length; i++) {
      pages[i] = take(1, false);
    }
    return pages;
  }

  private void trim() {
    if (pageCount > 2 && free.get((int) (pageCount - 1))) {
      long start = Math.max(2, free.previousClearBit((int) (pageCount - 1)) + 1);
      free.clear((int) start, (int) pageCount);
      pageCount = start;
    }
  }

  private FreelistBody checkpoint(long t, long[] writtenRuns) {
    TreeMap<Long, long[]> pendingRuns = new TreeMap<>();
    pending.forEach((freedBy, ids) -> pendingRuns.put(freedBy, runs(ids)));
    return new FreelistBody.Checkpoint(t, pageCount, writtenRuns, freeRuns(), pendingRuns);
  }

  private long[] freeRuns() {
    LongList out = new LongList();
    for (int i = free.nextSetBit(0); i >= 0; ) {
      int j = free.nextClearBit(i);
      for (long at = i; at < j; at += FreelistLayout.MAX_RUN) {
        out.add(FreelistLayout.run(at, Math.min(FreelistLayout.MAX_RUN, j - at)));
      }
      i = free.nextSetBit(j);
    }
    return out.toArray();
  }

  /** Packs sorted unique ids into runs. */
  static long[] runs(long[] sorted) {
    LongList out = new LongList();
    int i = 0;
    while (i < sorted.length) {
      int j = i + 1;
      while (j < sorted.length
          && sorted[j] == sorted[j - 1] + 1
          && j - i < FreelistLayout.MAX_RUN) {
        j++;
      }
      out.add(FreelistLayout.run(sorted[i], j - i));
      i = j;
    }
    return out.toArray();
  }

  /** Returns the number of free pages. */
  long freeCount() {
    return free.cardinality();
  }

  /** Returns the number of pending pages freed by transactions in {@code (afterTxid, upToTxid]}. */
  public long pendingCount(long afterTxid, long upToTxid) {
    long n = 0;
    if (upToTxid > afterTxid) {
      for (long[] ids : pending.subMap(afterTxid, false, upToTxid, true).values()) {
        n += ids.length;
      }
    }
    return n;
  }

  /** Returns the number of pages freed but not yet reusable. */
  public long pendingCount() {
    long n = 0;
    for (long[] ids : pending.values()) {
      n += ids.length;
    }
    return n;
  }

  /** Receives a run of page ids. */
  @FunctionalInterface
  private interface RunSink {
    void accept(long first, long length);
  }

  @Override
  public String toString() {
    return "FreeState[txid="
        + txid
        + ", pageCount="
        + pageCount
        + ", free="
        + freeCount()
        + ", pending="
        + pendingCount()
        + "]";
  }

  /**
   * Returns the meta of commit {@code t} with bucket root {@code root}, built on {@code previous}:
   * the page count and freelist chain are this state's after {@link #finishCommit}.
   */
  public Meta nextMeta(Meta previous, long t, BucketHeader root) {
    return previous.next(t, pageCount, root, head, headTxid, deltaPages, checkpointPages);
  }

  /** Returns the pages of the freelist chain, for the checker. */
  public long[] chainPages() {
    return chainPages.toArray();
  }

  /** Returns a copy of the set of free pages, for the checker. */
  public BitSet freePages() {
    return (BitSet) free.clone();
  }

  /** Returns every page id in the pending groups, for the checker. */
  public List<long[]> pendingGroups() {
    return new ArrayList<>(pending.values());
  }
}
