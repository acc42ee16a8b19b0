package dev.mmkit.kv.internal.check;

import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.DbCheckReport;
import dev.mmkit.kv.DbProblem;
import dev.mmkit.kv.DiscardedCommit;
import dev.mmkit.kv.internal.page.BranchPage;
import dev.mmkit.kv.internal.page.BucketHeader;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.Checksums;
import dev.mmkit.kv.internal.page.Flaw;
import dev.mmkit.kv.internal.page.LeafPage;
import dev.mmkit.kv.internal.page.Meta;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageCheck;
import dev.mmkit.kv.internal.page.PageLayout;
import dev.mmkit.kv.internal.page.ProblemKind;
import dev.mmkit.kv.internal.storage.FreeState;
import dev.mmkit.kv.internal.storage.Snapshot;
import dev.mmkit.kv.internal.storage.StoreFile;
import dev.mmkit.kv.internal.storage.WriteAheadLog;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Inspector walks a whole snapshot from its copies of the pages: every tree page of every bucket,
 * every overflow run, the freelist chain, the free and pending pages. It verifies checksums,
 * structure, key order across pages, levels and key counts, and that every page is used exactly
 * once or free, collecting every problem instead of stopping at the first (up to {@link
 * DbCheckReport#MAX_PROBLEMS}, counting the rest). Each problem is of a {@link ProblemKind}. It
 * also counts pages by type for statistics.
 */
public final class Inspector {
  private final Snapshot s;
  private final int pageSize;
  private final long pageCount;
  private final BitSet seen = new BitSet();
  private final List<DbProblem> problems = new ArrayList<>();
  private long dropped;
  private int nesting;

  private long branchPages;
  private long leafPages;
  private long overflowPages;
  private long freelistPages;
  private long freePages;
  private long pendingPages;
  private long buckets;
  private long keys;
  private int depth;
  private long usedBytes;

  private Inspector(Snapshot s) {
    this.s = s;
    this.pageSize = s.pageSize();
    this.pageCount = s.meta().pageCount();
  }

  /** Inspects the newest commit of {@code store}. */
  public static Report run(StoreFile store) {
    Snapshot s = store.beginRead();
    try {
      Inspector in = new Inspector(s);
      in.checkMetaPages(store);
      in.checkLog(store);
      s.read(
          () -> {
            in.walk();
            return null;
          });
      return in.report();
    } finally {
      store.endRead(s);
    }
  }

  /**
   * Reports a commit set aside at open while its meta page still holds it, else any meta page that
   * fails its checks now: either means the database may not be at its newest commit.
   */
  private void checkMetaPages(StoreFile store) {
    DiscardedCommit d = store.metaPages().discardedCommitStillOnDisk();
    if (d != null) {
      problem(d.metaPage(), ProblemKind.COMMIT_SET_ASIDE, d.message());
      return;
    }
    String[] problems = store.metaPages().metaPageProblems();
    for (int id = 0; id < 2; id++) {
      if (problems[id] != null) {
        problem(
            id,
            ProblemKind.META_PAGE_UNREADABLE,
            problems[id]
                + "; the database is at txid "
                + s.txid()
                + ", and if this page held a newer commit, that acknowledged commit is lost"
                + " unless the machine crashed while it was written");
      }
    }
  }

  /**
   * Reports a write-ahead log that would not bring the database back to this commit if the machine
   * restarted now (see {@link WriteAheadLog#problemFor}).
   */
  private void checkLog(StoreFile store) {
    WriteAheadLog log = store.log();
    if (log == null) {
      return; // A file opened read-only without a log (a backup): nothing would be replayed.
    }
    try {
      String problem = log.problemFor(s.meta());
      if (problem != null) {
        problem(-1, ProblemKind.LOG_INCOMPLETE, problem);
      }
    } catch (IOException e) {
      problem(-1, ProblemKind.LOG_INCOMPLETE, "cannot read the write-ahead log: " + e);
    }
  }

  private void walk() {
    seen.set(0, 2);
    walkBucket("/", s.meta().root(), 0);
    walkFreelist();
    for (long p = 2; p < pageCount; p++) {
      if (!seen.get((int) p)) {
        problem(p, ProblemKind.LEAKED, "");
      }
    }
  }

  private void walkBucket(String path, BucketHeader h, int nesting) {
    if (nesting > NodeLayout.MAX_BUCKET_DEPTH) {
      problem(h.root(), ProblemKind.NESTING_TOO_DEEP, "bucket=" + path);
      return;
    }
    this.nesting = nesting;
    if (h.root() == 0) {
      if (h.count() != 0) {
        problem(
            -1, ProblemKind.EMPTY_BUCKET_CLAIMS_KEYS, "bucket=" + path + ", count=" + h.count());
      }
      return;
    }
    long[] counted = new long[1];
    int height = walkNode(path, h.root(), h.rootTxid(), -1, null, null, counted);
    depth = Math.max(depth, height);
    if (counted[0] != h.count()) {
      problem(
          h.root(),
          ProblemKind.KEY_COUNT_MISMATCH,
          "bucket=" + path + ", header=" + h.count() + ", found=" + counted[0]);
    }
  }

  /** Walks one tree page; returns the height below and including it, 0 when unreadable. */
  private int walkNode(
      String path, long page, long txid, int level, byte[] lower, byte[] upper, long[] counted) {
    if (!claim(page, 1, path)) {
      return 0;
    }
    byte[] buf = s.copyPage(page);
    Flaw flaw = PageCheck.header(buf, page, txid);
    if (flaw == null && !Checksums.verify(buf)) {
      flaw = new Flaw(ProblemKind.CHECKSUM_MISMATCH, "");
    }
    if (flaw == null) {
      flaw = PageCheck.body(buf);
    }
    int type = buf[PageLayout.TYPE];
    if (flaw == null && type != PageLayout.LEAF && type != PageLayout.BRANCH) {
      flaw = new Flaw(ProblemKind.NOT_A_TREE_PAGE, "type=" + PageLayout.typeName(type));
    }
    int pageLevel = buf[PageLayout.LEVEL];
    if (flaw == null && level >= 0 && pageLevel != level) {
      flaw =
          new Flaw(ProblemKind.TREE_LEVEL_MISMATCH, "level=" + pageLevel + ", expected=" + level);
    }
    if (flaw != null) {
      problem(page, flaw, path);
      return 0;
    }
    usedBytes += Bytes.getInt(buf, PageLayout.LENGTH);
    int count = Bytes.getU16(buf, PageLayout.COUNT);
    boolean leaf = type == PageLayout.LEAF;
    checkBounds(path, page, buf, leaf, count, lower, upper);
    if (leaf) {
      leafPages++;
      walkLeaf(path, page, buf, count, counted);
      return 1;
    }
    branchPages++;
    int height = 0;
    for (int i = 0; i < count; i++) {
      byte[] key = BranchPage.key(buf, i);
      byte[] next = i + 1 < count ? BranchPage.key(buf, i + 1) : upper;
      int h =
          walkNode(
              path,
              BranchPage.childPage(buf, i),
              BranchPage.childTxid(buf, i),
              pageLevel - 1,
              key,
              next,
              counted);
      height = Math.max(height, h);
    }
    return height + 1;
  }

  private void walkLeaf(String path, long page, byte[] buf, int count, long[] counted) {
    for (int i = 0; i < count; i++) {
      int el = PageLayout.HEADER_SIZE + i * NodeLayout.LEAF_ELEMENT;
      int flags = buf[el + NodeLayout.LEAF_FLAGS];
      int keyOff = Bytes.getU16(buf, el + NodeLayout.LEAF_KEY_OFFSET);
      int keyLen = Bytes.getU16(buf, el + NodeLayout.LEAF_KEY_LENGTH);
      int at = keyOff + keyLen;
      if (flags == NodeLayout.BUCKET) {
        buckets++;
        String name = Bytes.describe(Arrays.copyOfRange(buf, keyOff, at));
        int outer = nesting;
        walkBucket(path + name + "/", BucketHeader.read(buf, at), outer + 1);
        nesting = outer;
        continue;
      }
      counted[0]++;
      keys++;
      if (flags == NodeLayout.OVERFLOW) {
        long length = Bytes.getInt(buf, el + NodeLayout.LEAF_VALUE_LENGTH) & 0xFFFFFFFFL;
        walkOverflow(path, Bytes.getLong(buf, at), Bytes.getLong(buf, at + 8), length);
      }
    }
  }

  private void walkOverflow(String path, long page, long txid, long length) {
    long pages = NodeLayout.overflowPages(length, pageSize);
    if (!claim(page, pages, path)) {
      return;
    }
    overflowPages += pages;
    byte[] head = s.copyPage(page);
    Flaw flaw = PageCheck.header(head, page, txid);
    if (flaw == null
        && (head[PageLayout.TYPE] != PageLayout.OVERFLOW_TYPE
            || (Bytes.getInt(head, PageLayout.LENGTH) & 0xFFFFFFFFL) != length
            || Bytes.getInt(head, PageLayout.OVERFLOW) != pages - 1)) {
      flaw = new Flaw(ProblemKind.BAD_OVERFLOW_HEADER, "");
    }
    if (flaw == null && s.checksumRun(page, pages) != Bytes.getInt(head, PageLayout.CHECKSUM)) {
      flaw = new Flaw(ProblemKind.CHECKSUM_MISMATCH, "");
    }
    if (flaw != null) {
      problem(page, flaw, path);
    }
  }

  private void checkBounds(
      String path, long page, byte[] buf, boolean leaf, int count, byte[] lower, byte[] upper) {
    if (count == 0) {
      return;
    }
    byte[] first = key(buf, leaf, 0);
    byte[] last = key(buf, leaf, count - 1);
    if (lower != null && Bytes.compare(first, lower) < 0) {
      problem(page, ProblemKind.KEY_BELOW_SEPARATOR, "bucket=" + path);
    }
    if (upper != null && Bytes.compare(last, upper) >= 0) {
      problem(page, ProblemKind.KEY_AT_OR_ABOVE_NEXT_SEPARATOR, "bucket=" + path);
    }
  }

  private static byte[] key(byte[] buf, boolean leaf, int i) {
    return leaf ? LeafPage.key(buf, i) : BranchPage.key(buf, i);
  }

  private void walkFreelist() {
    FreeState st;
    try {
      st = FreeState.load(s);
    } catch (CorruptDbException e) {
      problem(e.pageId(), ProblemKind.FREELIST_UNREADABLE, e.getMessage());
      return;
    }
    for (long p : st.chainPages()) {
      if (claim(p, 1, "(freelist)")) {
        freelistPages++;
      }
    }
    BitSet free = st.freePages();
    for (int p = free.nextSetBit(0); p >= 0; p = free.nextSetBit(p + 1)) {
      if (claim(p, 1, "(free)")) {
        freePages++;
      }
    }
    for (long[] ids : st.pendingGroups()) {
      for (long p : ids) {
        if (claim(p, 1, "(pending)")) {
          pendingPages++;
        }
      }
    }
  }

  private boolean claim(long page, long pages, String owner) {
    if (!s.inRange(page, pages)) {
      problem(
          page,
          ProblemKind.PAGE_OUT_OF_RANGE,
          "pages=" + pages + ", pageCount=" + pageCount + ", owner=" + owner);
      return false;
    }
    int from = (int) page;
    int to = (int) (page + pages);
    int twice = seen.nextSetBit(from);
    if (twice >= 0 && twice < to) {
      problem(twice, ProblemKind.PAGE_REACHABLE_TWICE, "owner=" + owner);
      return false;
    }
    seen.set(from, to);
    return true;
  }

  /** Records a flaw of a page of bucket {@code path}. */
  private void problem(long page, Flaw flaw, String path) {
    String bucket = "bucket=" + path;
    problem(page, flaw.kind(), flaw.detail().isEmpty() ? bucket : flaw.detail() + ", " + bucket);
  }

  /** Records a problem on {@code page} (negative for none), or counts it once enough are kept. */
  private void problem(long page, ProblemKind kind, String detail) {
    if (problems.size() >= DbCheckReport.MAX_PROBLEMS) {
      dropped++;
      return;
    }
    problems.add(kind.on(page >= 0 ? page : -1, detail));
  }

  private Report report() {
    List<DbProblem> ordered = new ArrayList<>(problems);
    ordered.sort(Comparator.comparing(DbProblem::severity));
    return new Report(
        List.copyOf(ordered),
        dropped,
        s.meta(),
        branchPages,
        leafPages,
        overflowPages,
        freelistPages,
        freePages,
        pendingPages,
        buckets,
        keys,
        depth,
        usedBytes);
  }

  /**
   * Report is what an inspection found.
   *
   * @param problems the problems kept, most severe first and otherwise in the order found; empty
   *     when the database is sound
   * @param dropped problems found after the first {@link DbCheckReport#MAX_PROBLEMS}, not kept
   * @param meta the meta inspected
   * @param branchPages branch pages in use
   * @param leafPages leaf pages in use
   * @param overflowPages pages of overflow runs
   * @param freelistPages pages of the freelist chain
   * @param freePages free pages
   * @param pendingPages pages freed but maybe still seen by a reader
   * @param buckets nested buckets
   * @param keys keys in all buckets
   * @param depth deepest path in pages, through nested buckets
   * @param usedBytes bytes used in branch and leaf pages
   */
  public record Report(
      List<DbProblem> problems,
      long dropped,
      Meta meta,
      long branchPages,
      long leafPages,
      long overflowPages,
      long freelistPages,
      long freePages,
      long pendingPages,
      long buckets,
      long keys,
      int depth,
      long usedBytes) {}
}
