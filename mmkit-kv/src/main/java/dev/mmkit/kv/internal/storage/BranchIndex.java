package dev.mmkit.kv.internal.storage;

import dev.mmkit.kv.internal.page.BranchPage;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * BranchIndex keeps, per process, a compact heap copy of the search keys of verified branch pages:
 * the first 8 bytes of each separator key as an unsigned long, beside the child references. A
 * lookup binary-searches one small array instead of elements and keys spread over a page of the
 * mapping, which saves most cache misses of a random get; only keys that share their first 8 bytes
 * are compared in the page itself.
 *
 * <p>Like {@link VerifiedPages}, an entry is keyed by page id and used only for the txid the
 * reference expects: a committed page never changes until it is freed, and a reused page carries a
 * new txid, so a stale entry is never used. An entry is built from a guarded copy of a page already
 * verified, so a fault while reading the mapping never leaves garbage behind. The index grows to
 * about {@link #BUDGET_BYTES}; pages beyond it are searched in place.
 */
public final class BranchIndex {
  /** Most heap bytes the decoded pages of one store may take. */
  static final long BUDGET_BYTES = 64L << 20;

  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(Decoded[].class);

  private final AtomicLong used = new AtomicLong();
  private volatile Decoded[] pages = new Decoded[256];

  /** Decoded is the search view of one branch page version. */
  public static final class Decoded {
    public final long txid;
    public final int level;
    final long[] prefixes;
    public final long[] children;
    public final long[] childTxids;

    /** Each separator key's offset in the page (high 16 bits) and length (low 16 bits). */
    final int[] keys;

    Decoded(byte[] page) {
      int count = Bytes.getU16(page, PageLayout.COUNT);
      txid = Bytes.getLong(page, PageLayout.TXID);
      level = page[PageLayout.LEVEL] & 0xFF;
      prefixes = new long[count];
      children = new long[count];
      childTxids = new long[count];
      keys = new int[count];
      for (int i = 0; i < count; i++) {
        int el = PageLayout.HEADER_SIZE + i * NodeLayout.BRANCH_ELEMENT;
        int keyOff = Bytes.getU16(page, el + NodeLayout.BRANCH_KEY_OFFSET);
        int keyLen = Bytes.getU16(page, el + NodeLayout.BRANCH_KEY_LENGTH);
        children[i] = BranchPage.childPage(page, i);
        childTxids[i] = BranchPage.childTxid(page, i);
        keys[i] = keyOff << 16 | keyLen;
        long p = 0;
        for (int b = 0; b < 8; b++) {
          p = (p << 8) | (b < keyLen ? page[keyOff + b] & 0xFF : 0);
        }
        prefixes[i] = p;
      }
    }

    long bytes() {
      return 64 + 28L * prefixes.length;
    }

    /**
     * Returns the index of the child that covers {@code key} (whose first 8 bytes are {@code
     * prefix}); a tie on the first 8 bytes compares the full key in the page at {@code off} of the
     * raw segment, so call inside {@link Snapshot#read}.
     */
    public int childIndex(MemorySegment seg, long off, byte[] key, long prefix) {
      int lo = 0;
      int hi = prefixes.length - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        int c = Long.compareUnsigned(prefixes[mid], prefix);
        if (c == 0) {
          c = Bytes.compare(seg, off + (keys[mid] >>> 16), keys[mid] & 0xFFFF, key);
        }
        if (c < 0) {
          lo = mid + 1;
        } else if (c > 0) {
          hi = mid - 1;
        } else {
          return mid;
        }
      }
      return BranchPage.coveringChild(-(lo + 1));
    }
  }

  /** Returns the decoded page {@code page} if it is indexed for {@code txid}, else null. */
  Decoded get(long page, long txid) {
    Decoded[] a = pages;
    if (page >= a.length) {
      return null;
    }
    Decoded d = (Decoded) SLOT.getAcquire(a, (int) page);
    return d != null && d.txid == txid ? d : null;
  }

  /** Returns whether the index has room for more pages. */
  boolean hasRoom() {
    return used.get() < BUDGET_BYTES;
  }

  /** Indexes a verified copy of branch page {@code page} and returns its decoded form. */
  Decoded put(long page, byte[] copy) {
    Decoded d = new Decoded(copy);
    if (page > Integer.MAX_VALUE - 8) {
      return d;
    }
    Decoded[] a = pages;
    if (page >= a.length) {
      a = grow(page);
    }
    Decoded old = (Decoded) SLOT.getAndSetRelease(a, (int) page, d);
    used.addAndGet(d.bytes() - (old == null ? 0 : old.bytes()));
    return d;
  }

  /** Forgets every page, as when page versions may have been judged from a commit set aside. */
  synchronized void clear() {
    pages = new Decoded[256];
    used.set(0);
  }

  private synchronized Decoded[] grow(long page) {
    Decoded[] a = pages;
    if (page < a.length) {
      return a;
    }
    long size = Math.max(page + 1, Math.min((long) a.length * 2, Integer.MAX_VALUE - 8));
    Decoded[] bigger = java.util.Arrays.copyOf(a, (int) size);
    pages = bigger;
    return bigger;
  }
}
