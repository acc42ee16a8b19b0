package dev.mmkit.kv.internal;

import dev.mmkit.kv.CorruptDbException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * MetaReader finds the page size and the valid meta page with the highest txid when a database is
 * opened, reading the file with positional reads before anything is mapped.
 */
final class MetaReader {
  private MetaReader() {}

  static Meta atOpen(PageFile file, Path path) throws IOException {
    long size = file.size();
    if (size < 2L * PageLayout.MIN_PAGE_SIZE) {
      throw new CorruptDbException(
          0, "file too short to be a database: file=" + path + ", size=" + size);
    }
    Meta best = null;
    CorruptDbException failure = null;
    for (int s = PageLayout.MIN_PAGE_SIZE; s <= PageLayout.MAX_PAGE_SIZE; s *= 2) {
      if (probe(file, 0) != s && probe(file, s) != s) {
        continue;
      }
      for (long id = 0; id < 2; id++) {
        byte[] page = new byte[s];
        if (file.read(ByteBuffer.wrap(page), id * s) < s) {
          failure = merge(failure, new CorruptDbException(id, "meta page cut short: file=" + path));
          continue;
        }
        try {
          Meta m = Meta.decode(page, id, path);
          if (best == null || m.txid() > best.txid()) {
            best = m;
          }
        } catch (CorruptDbException e) {
          failure = merge(failure, e);
        }
      }
    }
    if (best != null) {
      return best;
    }
    if (failure == null) {
      throw new CorruptDbException(
          0, "not an mmkit-kv database (no meta page with magic and version): file=" + path);
    }
    throw new CorruptDbException(
        failure.pageId(), "no valid meta page: " + failure.getMessage(), failure);
  }

  private static CorruptDbException merge(CorruptDbException first, CorruptDbException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  /** Returns the page size a meta page at {@code offset} claims, or -1 when it is not one. */
  private static int probe(PageFile file, long offset) throws IOException {
    byte[] head = new byte[MetaLayout.USED];
    if (file.read(ByteBuffer.wrap(head), offset) < head.length) {
      return -1;
    }
    if (Bytes.getLong(head, MetaLayout.MAGIC_OFFSET) != MetaLayout.MAGIC
        || Bytes.getInt(head, MetaLayout.VERSION_OFFSET) != MetaLayout.VERSION) {
      return -1;
    }
    int pageSize = Bytes.getInt(head, MetaLayout.PAGE_SIZE);
    return PageLayout.isValidPageSize(pageSize) ? pageSize : -1;
  }
}
