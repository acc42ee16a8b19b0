package dev.mmkit.kv.internal.check;

import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.internal.page.BranchPage;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.Checksums;
import dev.mmkit.kv.internal.page.Flaw;
import dev.mmkit.kv.internal.page.LeafPage;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageCheck;
import dev.mmkit.kv.internal.page.PageLayout;
import dev.mmkit.kv.internal.storage.Snapshot;
import java.util.HashMap;
import java.util.Map;

/**
 * StrictCheck checks, during a commit in strict mode, every tree page the commit is about to write,
 * before any of it becomes reachable: the page's own structure (as {@link PageCheck} reads it from
 * the encoded bytes, not from the in-memory nodes) and how each branch page orders its children.
 *
 * <p>A commit writes children before their parents, so the check walks the new pages bottom-up. For
 * each page written it keeps the range of keys below it, lowest to highest. A branch page is sound
 * when, for every child {@code i}, its separator is at or below the lowest key under that child and
 * the highest key under it sorts before separator {@code i + 1}. For a child the commit wrote, both
 * ends are known exactly. For a child the commit did not touch, the check reads that child's page
 * in the snapshot and uses its first and last key (exact for a leaf; for a branch its separators,
 * checked in turn when that branch was written). Every page written must be referenced exactly once
 * by the time the bucket's root is known: a written page that no parent names would leak, a page
 * named twice would be shared.
 *
 * <p>On a problem it throws {@link CorruptDbException} naming the page; the commit then fails
 * before its meta page is written, so the database stays at its previous commit.
 */
public final class StrictCheck {
  private final Snapshot base;
  private final long txid;

  /** Key ranges of pages written by this commit and not yet referenced by a parent. */
  private final Map<Long, Range> unreferenced = new HashMap<>();

  private record Range(int level, byte[] lowest, byte[] highest) {}

  /** Checks the pages of commit {@code txid}, which builds on {@code base}. */
  public StrictCheck(Snapshot base, long txid) {
    this.base = base;
    this.txid = txid;
  }

  /** Checks tree page {@code page}, encoded in {@code bytes}, before it is written. */
  public void treePage(long page, byte[] bytes) {
    Flaw flaw = PageCheck.header(bytes, page, txid);
    if (flaw != null) {
      throw refused(page, flaw.toString());
    }
    if (!Checksums.verify(bytes)) {
      throw refused(page, "checksum does not match the encoded page");
    }
    flaw = PageCheck.body(bytes);
    if (flaw != null) {
      throw refused(page, flaw.toString());
    }
    int type = bytes[PageLayout.TYPE];
    if (type != PageLayout.LEAF && type != PageLayout.BRANCH) {
      throw refused(page, "expected a branch or leaf page: type=" + PageLayout.typeName(type));
    }
    int count = Bytes.getU16(bytes, PageLayout.COUNT);
    Range range =
        type == PageLayout.LEAF
            ? new Range(0, key(bytes, true, 0), key(bytes, true, count - 1))
            : branch(page, bytes, count);
    if (unreferenced.put(page, range) != null) {
      throw refused(page, "page written twice by one commit");
    }
  }

  /** Records that {@code page}, written by this commit, became the root of a bucket. */
  public void root(long page) {
    if (unreferenced.remove(page) == null) {
      throw refused(page, "bucket root was not written by this commit");
    }
    if (!unreferenced.isEmpty()) {
      long stray = unreferenced.keySet().iterator().next();
      throw refused(
          stray, "page written but referenced by no parent: pages=" + unreferenced.size());
    }
  }

  private Range branch(long page, byte[] bytes, int count) {
    int level = bytes[PageLayout.LEVEL];
    byte[] lowest = null;
    byte[] highest = null;
    for (int i = 0; i < count; i++) {
      long child = BranchPage.childPage(bytes, i);
      long childTxid = BranchPage.childTxid(bytes, i);
      Range r = childTxid == txid ? unreferenced.remove(child) : untouched(child, childTxid);
      if (r == null) {
        throw refused(
            page, "child written by this commit is unknown: index=" + i + ", child=" + child);
      }
      if (r.level != level - 1) {
        throw refused(page, "child level mismatch: index=" + i + ", level=" + r.level);
      }
      if (Bytes.compare(key(bytes, false, i), r.lowest) > 0) {
        throw refused(page, "separator above a key of its child: index=" + i + ", child=" + child);
      }
      if (i + 1 < count && Bytes.compare(r.highest, key(bytes, false, i + 1)) >= 0) {
        throw refused(
            page, "key of a child at or above the next separator: index=" + i + ", child=" + child);
      }
      if (lowest == null) {
        lowest = r.lowest;
      }
      highest = r.highest;
    }
    return new Range(level, lowest, highest);
  }

  /** Returns the first and last key of a page the commit did not write, read from the snapshot. */
  private Range untouched(long page, long pageTxid) {
    long off = base.node(page, pageTxid, -1);
    byte[] head = new byte[PageLayout.HEADER_SIZE];
    base.copy(off, head);
    boolean leaf = head[PageLayout.TYPE] == PageLayout.LEAF;
    int count = Bytes.getU16(head, PageLayout.COUNT);
    return new Range(
        head[PageLayout.LEVEL], mappedKey(off, leaf, 0), mappedKey(off, leaf, count - 1));
  }

  private byte[] mappedKey(long off, boolean leaf, int i) {
    long el = off + PageLayout.HEADER_SIZE + (long) i * elementSize(leaf);
    byte[] element = new byte[4];
    base.copy(el + keyField(leaf), element);
    byte[] key = new byte[Bytes.getU16(element, 2)];
    base.copy(off + Bytes.getU16(element, 0), key);
    return key;
  }

  private static byte[] key(byte[] page, boolean leaf, int i) {
    return leaf ? LeafPage.key(page, i) : BranchPage.key(page, i);
  }

  private static int elementSize(boolean leaf) {
    return leaf ? NodeLayout.LEAF_ELEMENT : NodeLayout.BRANCH_ELEMENT;
  }

  private static int keyField(boolean leaf) {
    return leaf ? NodeLayout.LEAF_KEY_OFFSET : NodeLayout.BRANCH_KEY_OFFSET;
  }

  private CorruptDbException refused(long page, String problem) {
    return new CorruptDbException(
        page,
        "strict check refused the commit, nothing of it was committed: file="
            + base.file()
            + ", txid="
            + txid
            + ", page="
            + page
            + ", "
            + problem);
  }
}
