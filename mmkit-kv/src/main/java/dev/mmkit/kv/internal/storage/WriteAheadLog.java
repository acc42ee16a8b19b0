package dev.mmkit.kv.internal.storage;

import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.LogLayout;
import dev.mmkit.kv.internal.page.Meta;
import dev.mmkit.kv.internal.page.MetaLayout;
import dev.mmkit.kv.internal.page.PageLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * WriteAheadLog is one process's handle on the log file beside a database ({@code NAME-wal}, laid
 * out as {@link LogLayout} draws): it reads and writes the header slots that hold the current
 * checkpoint, appends records where the newest meta says the next one goes, and grows the file
 * ahead of them by writing zeros, so that a record lands in space that is already allocated and a
 * data flush alone makes it durable. Only the holder of the writer lock writes.
 */
public final class WriteAheadLog implements AutoCloseable {
  private static final long MIN_GROWTH = 1L << 20;

  private final Path path;
  private final PageFile file;
  private final int pageSize;
  private final long capacity;
  private long size;
  private ByteBuffer zeros;

  /** The txid of the checkpoint in the header as last read or written here, or -1. */
  private long headerTxid = -1;

  /** The newest txid whose record (or checkpoint) this process knows to be flushed, or -1. */
  private long flushedTxid = -1;

  /**
   * Header is a checkpoint read from a header slot.
   *
   * @param slot the header slot, 0 or 1
   * @param meta the checkpoint's meta page
   */
  public record Header(int slot, Meta meta) {}

  private WriteAheadLog(Path path, PageFile file, int pageSize, long capacity) throws IOException {
    this.path = path;
    this.file = file;
    this.pageSize = pageSize;
    this.capacity = capacity;
    this.size = file.size();
  }

  /** Returns the log's path beside the database at {@code db}. */
  public static Path pathOf(Path db) {
    return db.resolveSibling(db.getFileName() + "-wal");
  }

  /**
   * Opens the existing log of the database at {@code db} for a store of {@code pageSize} whose
   * records may reach offset {@code capacity}.
   */
  static WriteAheadLog open(
      Path db, PageFile.Opener opener, boolean writable, int pageSize, long capacity)
      throws IOException {
    Path p = pathOf(db);
    return new WriteAheadLog(p, opener.open(p, writable), pageSize, capacity);
  }

  /**
   * Creates the log of the database at {@code db} (owner-only, 0600), empty, replacing one left
   * behind, and opens it; the caller writes its first header.
   */
  static WriteAheadLog create(Path db, PageFile.Opener opener, int pageSize, long capacity)
      throws IOException {
    Path p = pathOf(db);
    try {
      Files.createFile(
          p, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException leftBehind) {
      // A log from an earlier database of this name: its header is overwritten below.
    } catch (UnsupportedOperationException notPosix) {
      Files.createFile(p);
    }
    WriteAheadLog log = new WriteAheadLog(p, opener.open(p, true), pageSize, capacity);
    log.ensureSize(LogLayout.records(pageSize));
    return log;
  }

  /** Returns the offset records may reach; a commit whose record would pass it is a checkpoint. */
  public long capacity() {
    return capacity;
  }

  /** Returns the log's path. */
  public Path path() {
    return path;
  }

  /**
   * Returns the page size the header slots of the log at {@code logPath} claim, or -1 when the file
   * is missing or neither slot is a meta page.
   */
  static int claimedPageSize(Path logPath, PageFile.Opener opener) throws IOException {
    if (!Files.exists(logPath)) {
      return -1;
    }
    try (PageFile f = opener.open(logPath, false)) {
      byte[] head = new byte[MetaLayout.USED];
      for (int s = PageLayout.MIN_PAGE_SIZE; s <= PageLayout.MAX_PAGE_SIZE; s *= 2) {
        for (long at : new long[] {0, s}) {
          if (f.read(ByteBuffer.wrap(head).clear(), at) == head.length
              && Meta.claimedPageSize(head) == s) {
            return s;
          }
        }
      }
      return -1;
    }
  }

  /** Returns the newest valid header, or null when neither slot holds one. */
  Header newestHeader() throws IOException {
    Header newest = null;
    for (int slot = 0; slot < LogLayout.HEADER_SLOTS; slot++) {
      byte[] page = new byte[pageSize];
      if (file.read(ByteBuffer.wrap(page), (long) slot * pageSize) < pageSize) {
        continue;
      }
      try {
        Meta m = Meta.decode(page, Bytes.getLong(page, PageLayout.PAGE_ID), path);
        if (m.logEnd() == LogLayout.records(pageSize)
            && (newest == null || m.txid() > newest.meta().txid())) {
          newest = new Header(slot, m);
        }
      } catch (CorruptDbException unreadable) {
        // A slot torn by a power loss during a checkpoint, or never written.
      }
    }
    headerTxid = newest == null ? -1 : newest.meta().txid();
    flushedTxid = Math.max(flushedTxid, headerTxid);
    return newest;
  }

  /** Returns the txid of the checkpoint in the header as last read or written here, or -1. */
  public long headerTxid() {
    return headerTxid;
  }

  /**
   * Makes {@code checkpoint} (a meta whose log end is {@link LogLayout#records}) the log's header:
   * writes it over the slot not holding the newest header, and flushes. Records written after this
   * build on it.
   */
  public void writeHeader(Meta checkpoint) throws IOException {
    if (checkpoint.logEnd() != LogLayout.records(pageSize)) {
      throw new IllegalArgumentException("not a checkpoint: logEnd=" + checkpoint.logEnd());
    }
    Header current = newestHeader();
    int slot = current == null ? 0 : 1 - current.slot();
    file.write(ByteBuffer.wrap(checkpoint.encode()), (long) slot * pageSize);
    file.force(false);
    headerTxid = checkpoint.txid();
    flushedThrough(headerTxid);
  }

  /**
   * Returns the newest txid whose record, or checkpoint, this process knows to be on stable storage
   * with every record before it; -1 when it knows none.
   */
  public long flushedTxid() {
    return flushedTxid;
  }

  /** Notes that the log was flushed after the record of {@code txid} was written. */
  public void flushedThrough(long txid) {
    flushedTxid = Math.max(flushedTxid, txid);
  }

  /**
   * Writes {@code record} at offset {@code at}, growing the file first when it is too short;
   * returns whether it grew (the flush must then include metadata).
   */
  public boolean append(ByteBuffer record, long at) throws IOException {
    boolean grew = ensureSize(at + record.remaining());
    file.write(record, at);
    return grew;
  }

  /** Flushes the records written so far; with {@code metadata}, the file size too. */
  public void force(boolean metadata) throws IOException {
    file.force(metadata);
  }

  /** Reads {@code into}'s remaining bytes from {@code at}; returns the count read. */
  int read(ByteBuffer into, long at) throws IOException {
    return file.read(into, at);
  }

  /** Returns the size of the file, read now. */
  long currentSize() throws IOException {
    size = file.size();
    return size;
  }

  /**
   * Makes the file at least {@code bytes} long by writing zeros after its end, in steps of its size
   * (at least 1 MiB, at most up to the capacity unless {@code bytes} is beyond it), so records land
   * in allocated space; returns whether it grew. Reads the size again first when the one known here
   * is below {@code bytes}, as another process may have grown it.
   */
  private boolean ensureSize(long bytes) throws IOException {
    if (size >= bytes || currentSize() >= bytes) {
      return false;
    }
    long target = Math.max(bytes, Math.min(capacity, size + Math.max(MIN_GROWTH, size)));
    if (zeros == null) {
      zeros = ByteBuffer.allocateDirect((int) MIN_GROWTH);
    }
    for (long at = size; at < target; ) {
      int n = (int) Math.min(zeros.capacity(), target - at);
      file.write(zeros.clear().limit(n), at);
      at += n;
    }
    size = target;
    return true;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
