package dev.mmkit.kv.internal.storage;

import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.internal.page.FreelistLayout;
import dev.mmkit.kv.internal.page.FreelistRecord;
import dev.mmkit.kv.internal.page.Meta;

/**
 * CommitCompleteness tells whether the commit a meta page describes reached the disk whole. A
 * commit writes its pages and its meta page and flushes them once; a power loss during that flush
 * may keep any subset of the writes, torn at sector boundaries. The commit's freelist record, which
 * the meta names as the freelist head with the commit's txid, lists every other page the commit
 * wrote; the commit is whole when the record and each of those pages is present with its checksum,
 * its own id and that txid. A page left from an older life of the same id carries an older txid.
 */
public final class CommitCompleteness {
  private CommitCompleteness() {}

  /**
   * Returns null when the commit of {@code s}'s meta is whole, else what is missing. Reads the
   * mapping: call inside {@link Snapshot#read}.
   */
  static String problem(Snapshot s) {
    Meta meta = s.meta();
    if (meta.freelistHead() == 0) {
      return null; // The empty database written at creation: no page besides the meta pages.
    }
    if (meta.freelistHeadTxid() != meta.txid()) {
      return "its freelist record is not its own: headTxid=" + meta.freelistHeadTxid();
    }
    try {
      FreelistRecord record = FreelistRecord.readHead(s, meta);
      for (long run : record.body(s).writtenRuns()) {
        long end = FreelistLayout.runStart(run) + FreelistLayout.runLength(run);
        for (long page = FreelistLayout.runStart(run); page < end; ) {
          page += s.verifyWritten(page, meta.txid());
        }
      }
      return null;
    } catch (CorruptDbException e) {
      return "page " + e.pageId() + " is not as the commit wrote it: " + e.getMessage();
    }
  }
}
