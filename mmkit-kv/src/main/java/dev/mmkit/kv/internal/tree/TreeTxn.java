package dev.mmkit.kv.internal.tree;

import dev.mmkit.kv.internal.storage.Snapshot;
import java.lang.foreign.MemorySegment;

/**
 * TreeTxn is what a bucket tree needs from the transaction it belongs to: the snapshot it reads,
 * the limits its nodes keep, the pages its changes free, and views that stay valid until the
 * transaction ends. The transaction package implements it; the tree package never reaches back.
 */
public interface TreeTxn {
  /** Returns the txid the transaction reads (read) or will commit as (write). */
  long txid();

  /** Returns the snapshot read. */
  Snapshot snapshot();

  /** Returns the page size. */
  int pageSize();

  /** Returns the bytes a materialized node may hold before it splits. */
  int maxNodeBytes();

  /** Returns the largest leaf entry kept inside a page. */
  int maxInline();

  /** Fails unless the transaction is open and used from its thread. */
  void check();

  /** Fails unless the transaction may write. */
  void checkWritable();

  /** Records that the commit frees tree page {@code page} (0 for none). */
  void free(long page);

  /** Records that the commit frees the {@code pages} pages from {@code page}. */
  void freeRun(long page, long pages);

  /** Returns a view of {@code length} mapped bytes at {@code off}, valid until the end. */
  MemorySegment view(long off, long length);

  /** Returns a view of a copy of heap bytes, valid until the end. */
  MemorySegment view(byte[] bytes);
}
