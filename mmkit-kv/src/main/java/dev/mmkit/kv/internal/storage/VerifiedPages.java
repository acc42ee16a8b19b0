package dev.mmkit.kv.internal.storage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * VerifiedPages remembers, per page id, the txid of the page version whose checksum and structure
 * this process has verified. A committed page never changes until it is freed, and a reused page
 * carries a new txid that every reference to it names, so one verification serves every later
 * reader of that version. Lost updates under races only cost a second verification.
 */
final class VerifiedPages {
  private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);

  private volatile long[] txids = new long[1024];

  boolean isVerified(long page, long txid) {
    long[] a = txids;
    return page < a.length && (long) SLOT.getOpaque(a, (int) page) == txid;
  }

  void markVerified(long page, long txid) {
    long[] a = txids;
    if (page >= a.length) {
      a = grow(page);
    }
    SLOT.setOpaque(a, (int) page, txid);
  }

  /** Forgets every page, as when page versions may have been judged from a commit set aside. */
  synchronized void clear() {
    txids = new long[1024];
  }

  private synchronized long[] grow(long page) {
    long[] a = txids;
    if (page < a.length) {
      return a;
    }
    long size = Math.max(page + 1, Math.min((long) a.length * 2, Integer.MAX_VALUE - 8));
    long[] bigger = java.util.Arrays.copyOf(a, (int) size);
    txids = bigger;
    return bigger;
  }
}
