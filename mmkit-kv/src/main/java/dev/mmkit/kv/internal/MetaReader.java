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
    int pageSize = probe(file, 0);
    for (int s = PageLayout.MIN_PAGE_SIZE; pageSize < 0 && s <= PageLayout.MAX_PAGE_SIZE; s *= 2) {
      if (probe(file, s) == s) {
        pageSize = s;
      }
    }
    if (pageSize < 0) {
      throw new CorruptDbException(
          0, "not an mmkit-kv database (no meta page with magic and version): file=" + path);
    }
    if (size < 2L * pageSize) {
      throw new CorruptDbException(
          1, "file too short for its meta pages: file=" + path + ", size=" + size);
    }
    Meta best = null;
    CorruptDbException failure = null;
    for (long id = 0; id < 2; id++) {
      byte[] page = new byte[pageSize];
      file.read(ByteBuffer.wrap(page), id * pageSize);
      try {
        Meta m = Meta.decode(page, id, path);
        if (best == null || m.txid() > best.txid()) {
          best = m;
        }
      } catch (CorruptDbException e) {
        if (failure == null) {
          failure = e;
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (best == null) {
      throw new CorruptDbException(
          failure.pageId(), "no valid meta page: " + failure.getMessage(), failure);
    }
    return best;
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
