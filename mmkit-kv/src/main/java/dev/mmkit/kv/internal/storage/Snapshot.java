package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.Mapping;
import dev.mmkit.core.TruncatedException;
import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.Checksums;
import dev.mmkit.kv.internal.page.Flaw;
import dev.mmkit.kv.internal.page.FreelistRecord;
import dev.mmkit.kv.internal.page.Meta;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.OverflowPage;
import dev.mmkit.kv.internal.page.PageCheck;
import dev.mmkit.kv.internal.page.PageLayout;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * Snapshot is one committed state of the database as a transaction sees it: its meta page, the
 * mapping generation it reads through, and its reader slot. Every page it hands out was verified
 * (checksum, structure, id and txid) before its bytes are trusted; verification happens once per
 * page version per process.
 */
public final class Snapshot implements FreelistRecord.Pages {
  private final Path path;
  private final PageCaches caches;
  private final Meta meta;
  private final MappingGeneration generation;
  private final Mapping mapping;
  private final MemorySegment segment;
  private final int slot;
  private final int pageSize;
  private final long pageCount;

  /**
   * Returns a snapshot of the data file at {@code path} at the commit of {@code meta}, read through
   * the pinned {@code generation}, published in reader slot {@code slot} (-1 for none).
   */
  Snapshot(Path path, PageCaches caches, Meta meta, MappingGeneration generation, int slot) {
    this.path = path;
    this.caches = caches;
    this.meta = meta;
    this.generation = generation;
    this.mapping = generation.mapping;
    this.segment = generation.segment;
    this.slot = slot;
    this.pageSize = meta.pageSize();
    this.pageCount = meta.pageCount();
  }

  /** Returns the meta page of this snapshot. */
  public Meta meta() {
    return meta;
  }

  /** Returns the txid of the commit this snapshot shows. */
  public long txid() {
    return meta.txid();
  }

  @Override
  public int pageSize() {
    return pageSize;
  }

  /** Returns the raw mapped segment; read it only inside {@link #read}. */
  public MemorySegment segment() {
    return segment;
  }

  MappingGeneration generation() {
    return generation;
  }

  int slot() {
    return slot;
  }

  /** Returns the data file's path. */
  public Path file() {
    return path;
  }

  /**
   * Runs raw reads of the mapping and returns their result, turning a fault into {@link
   * TruncatedException}. A failure of the body is reported only after pending faults surfaced.
   */
  public <T> T read(Supplier<T> body) {
    try {
      T result = body.get();
      fence();
      return result;
    } catch (InternalError e) {
      throw truncated(e);
    } catch (RuntimeException e) {
      throw failed(e);
    }
  }

  /**
   * Makes a fault left pending by raw reads of the mapping on this thread surface now, as {@link
   * TruncatedException}. Call it after raw reads and before their results are used or returned.
   */
  public void fence() {
    mapping.fence();
  }

  /** Returns the exception for a fault raised synchronously by a raw read. */
  public TruncatedException truncated(InternalError fault) {
    return new TruncatedException(path, -1, -1, fileSize(), fault);
  }

  /**
   * Returns {@code e} after surfacing a pending fault: a failure that garbage from a truncated
   * mapping caused is reported as the truncation.
   */
  public RuntimeException failed(RuntimeException e) {
    if (!(e instanceof TruncatedException)) {
      try {
        fence();
      } catch (TruncatedException truncation) {
        truncation.addSuppressed(e);
        return truncation;
      }
    }
    return e;
  }

  private long fileSize() {
    try {
      return java.nio.file.Files.size(path);
    } catch (java.io.IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Returns the offset of tree page {@code page}, which must carry {@code txid} and, unless {@code
   * level} is negative, sit at {@code level}.
   */
  public long node(long page, long txid, int level) {
    return node(page, txid, level, -1);
  }

  /**
   * Like {@link #node(long, long, int)}, for a reference found in the page at offset {@code from}:
   * a reference out of range is reported against that page.
   */
  public long node(long page, long txid, int level, long from) {
    if (from >= 0 && !inRange(page, 1)) {
      long parent = from / pageSize;
      throw corrupt(parent, "reference out of range: child=" + page + ", pageCount=" + pageCount);
    }
    long off = verified(page, txid);
    int type = Bytes.getU8(segment, off + PageLayout.TYPE);
    if (type != PageLayout.LEAF && type != PageLayout.BRANCH) {
      throw corrupt(page, "expected a branch or leaf page: type=" + PageLayout.typeName(type));
    }
    if (level >= 0 && Bytes.getU8(segment, off + PageLayout.LEVEL) != level) {
      throw corrupt(
          page,
          "tree level mismatch: level="
              + Bytes.getU8(segment, off + PageLayout.LEVEL)
              + ", expected="
              + level);
    }
    return off;
  }

  /**
   * Returns the offset of the first byte of the value held in overflow run {@code page}, which must
   * carry {@code txid} and hold exactly {@code length} bytes.
   */
  public long overflow(long page, long txid, long length) {
    long off = verified(page, txid);
    int type = Bytes.getU8(segment, off + PageLayout.TYPE);
    long stored = OverflowPage.length(segment, off);
    if (type != PageLayout.OVERFLOW_TYPE || stored != length) {
      throw corrupt(
          page,
          "expected an overflow run: type="
              + PageLayout.typeName(type)
              + ", length="
              + stored
              + ", expected="
              + length);
    }
    return OverflowPage.valueOffset(off);
  }

  /**
   * Returns the search view of branch page {@code page} carrying {@code txid} at {@code level} (any
   * level when negative) if this process has indexed it, else null; an indexed page was verified,
   * so the search needs no read of it. On null, use {@link #node} then {@link #branch}.
   */
  public BranchIndex.Decoded indexedBranch(long page, long txid, int level) {
    if (!inRange(page, 1)) {
      return null;
    }
    BranchIndex.Decoded d = caches.branches().get(page, txid);
    return d != null && (level < 0 || d.level == level) ? d : null;
  }

  /**
   * Returns the search view of branch page {@code page} carrying {@code txid}, which {@link #node}
   * returned at {@code off}, decoded from a guarded copy the first time this process needs it; null
   * when the index is full (then search the page in place).
   */
  public BranchIndex.Decoded branch(long page, long txid, long off) {
    BranchIndex index = caches.branches();
    BranchIndex.Decoded d = index.get(page, txid);
    if (d == null && index.hasRoom()) {
      byte[] copy = new byte[pageSize];
      mapping.read(off, copy, 0, pageSize);
      d = index.put(page, copy);
    }
    return d;
  }

  @Override
  public byte[] freelistPage(long page, long txid) {
    checkRange(page, 1);
    byte[] buf = new byte[pageSize];
    mapping.read(page * pageSize, buf, 0, pageSize);
    Flaw flaw = PageCheck.header(buf, page, txid);
    if (flaw != null) {
      throw corrupt(page, flaw.toString());
    }
    if (buf[PageLayout.TYPE] != PageLayout.FREELIST) {
      throw corrupt(
          page, "expected a freelist page: type=" + PageLayout.typeName(buf[PageLayout.TYPE]));
    }
    if (!Checksums.verify(buf)) {
      throw corrupt(page, "checksum mismatch");
    }
    flaw = PageCheck.body(buf);
    if (flaw != null) {
      throw corrupt(page, flaw.toString());
    }
    return buf;
  }

  /** Copies {@code into.length} mapped bytes from offset {@code off} into {@code into}. */
  public void copy(long off, byte[] into) {
    mapping.read(off, into, 0, into.length);
  }

  /** Returns a copy of page {@code page}, unverified; for the checker. */
  public byte[] copyPage(long page) {
    checkRange(page, 1);
    byte[] buf = new byte[pageSize];
    mapping.read(page * pageSize, buf, 0, pageSize);
    return buf;
  }

  /** Returns the CRC32C of a run's bytes after the checksum field, computed on a copy. */
  public int checksumRun(long page, long pages) {
    checkRange(page, pages);
    return mapping.checksum(page * pageSize + 4, pages * pageSize - 4);
  }

  /**
   * Verifies the tree page or overflow run at {@code page}, which must carry {@code txid}, and
   * returns how many pages it spans.
   */
  long verifyWritten(long page, long txid) {
    long off = verified(page, txid);
    if (Bytes.getU8(segment, off + PageLayout.TYPE) == PageLayout.OVERFLOW_TYPE) {
      return OverflowPage.runPages(segment, off);
    }
    return 1;
  }

  /** Returns whether {@code pages} pages from {@code page} lie inside the snapshot. */
  public boolean inRange(long page, long pages) {
    return page >= 2 && page < pageCount && pages <= pageCount - page;
  }

  private long verified(long page, long txid) {
    checkRange(page, 1);
    if (!caches.verified().isVerified(page, txid)) {
      verify(page, txid);
    }
    return page * pageSize;
  }

  private void checkRange(long page, long pages) {
    if (page < 2 || page >= pageCount || pages > pageCount - page) {
      throw corrupt(page, "page id out of range: pageCount=" + pageCount);
    }
  }

  private void verify(long page, long txid) {
    long off = page * pageSize;
    byte[] head = new byte[PageLayout.HEADER_SIZE];
    mapping.read(off, head, 0, head.length);
    Flaw flaw = PageCheck.header(head, page, txid);
    if (flaw != null) {
      throw corrupt(page, flaw.toString());
    }
    if (head[PageLayout.TYPE] == PageLayout.OVERFLOW_TYPE) {
      long extra = Bytes.getInt(head, PageLayout.OVERFLOW) & 0xFFFFFFFFL;
      long length = Bytes.getInt(head, PageLayout.LENGTH) & 0xFFFFFFFFL;
      checkRange(page, extra + 1);
      if (length > NodeLayout.MAX_VALUE_SIZE
          || NodeLayout.overflowPages(length, pageSize) != extra + 1) {
        throw corrupt(
            page, "overflow run size mismatch: pages=" + (extra + 1) + ", length=" + length);
      }
      int crc = mapping.checksum(off + 4, (extra + 1) * pageSize - 4);
      if (crc != Bytes.getInt(head, PageLayout.CHECKSUM)) {
        throw corrupt(page, "checksum mismatch");
      }
    } else {
      byte[] buf = new byte[pageSize];
      mapping.read(off, buf, 0, pageSize);
      if (!Checksums.verify(buf)) {
        throw corrupt(page, "checksum mismatch");
      }
      flaw = PageCheck.header(buf, page, txid);
      if (flaw == null) {
        flaw = PageCheck.body(buf);
      }
      if (flaw != null) {
        throw corrupt(page, flaw.toString());
      }
      if (buf[PageLayout.TYPE] == PageLayout.BRANCH && caches.branches().hasRoom()) {
        caches.branches().put(page, buf);
      }
    }
    caches.verified().markVerified(page, txid);
  }

  @Override
  public CorruptDbException corrupt(long page, String problem) {
    return new CorruptDbException(
        page, "corrupt database page: file=" + path + ", page=" + page + ", " + problem);
  }
}
