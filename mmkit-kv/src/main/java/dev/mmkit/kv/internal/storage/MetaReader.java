package dev.mmkit.kv.internal.storage;

import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.internal.page.Meta;
import dev.mmkit.kv.internal.page.MetaLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MetaReader reads both meta pages when a database is opened, with positional reads before anything
 * is mapped, and finds the page size. Which of them is the database is decided after mapping, when
 * the newest one's commit can be checked for completeness ({@link CommitCompleteness}).
 */
final class MetaReader {
  private MetaReader() {}

  /**
   * Slots is what the two meta pages held: each decoded meta or null, with the reason a slot is
   * unusable.
   */
  record Slots(Meta[] metas, String[] problems) {
    /** Returns the valid metas, newest first. */
    List<Meta> newestFirst() {
      List<Meta> out = new ArrayList<>();
      for (Meta m : metas) {
        if (m != null) {
          out.add(m);
        }
      }
      out.sort((a, b) -> Long.compare(b.txid(), a.txid()));
      return out;
    }
  }

  /** Reads and decodes both meta pages of {@code file}. */
  static Slots atOpen(PageFile file, Path path) throws IOException {
    long size = file.size();
    if (size < 2L * PageLayout.MIN_PAGE_SIZE) {
      throw new CorruptDbException(
          0, "file too short to be a database: file=" + path + ", size=" + size);
    }
    int pageSize = -1;
    for (int s = PageLayout.MIN_PAGE_SIZE; s <= PageLayout.MAX_PAGE_SIZE && pageSize < 0; s *= 2) {
      if (probe(file, 0) == s || probe(file, s) == s) {
        pageSize = s;
      }
    }
    if (pageSize < 0) {
      throw new CorruptDbException(
          0, "not an mmkit-kv database (no meta page with magic and version): file=" + path);
    }
    byte[][] pages = new byte[2][];
    for (int id = 0; id < 2; id++) {
      byte[] page = new byte[pageSize];
      int read = file.read(ByteBuffer.wrap(page), (long) id * pageSize);
      pages[id] = read < pageSize ? null : page;
    }
    return decode(pages, path);
  }

  /**
   * Decodes the two meta pages ({@code null} for one cut short).
   *
   * @throws CorruptDbException when neither is valid
   */
  static Slots decode(byte[][] pages, Path path) {
    Meta[] metas = new Meta[2];
    String[] problems = new String[2];
    CorruptDbException failure = null;
    for (int id = 0; id < 2; id++) {
      if (pages[id] == null) {
        problems[id] = "meta page cut short";
        continue;
      }
      try {
        metas[id] = Meta.decode(pages[id], id, path);
      } catch (CorruptDbException e) {
        problems[id] = e.getMessage();
        failure = merge(failure, e);
      }
    }
    if (metas[0] == null && metas[1] == null) {
      throw new CorruptDbException(
          failure == null ? 0 : failure.pageId(),
          "no valid meta page: " + (failure == null ? "file=" + path : failure.getMessage()),
          failure);
    }
    return new Slots(metas, problems);
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
    return Meta.claimedPageSize(head);
  }
}
