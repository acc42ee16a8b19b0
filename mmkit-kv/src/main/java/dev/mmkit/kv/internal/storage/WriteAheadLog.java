package dev.mmkit.kv.internal.storage;

import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.LogLayout;
import dev.mmkit.kv.internal.page.LogRecord;
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

  /** The txid of the checkpoint in the header as last read or written here, or -1. */
  private long headerTxid = -1;

  /** The newest txid whose record (or checkpoint) this process knows to be flushed, or -1. */
  private volatile long flushedTxid = -1;

  private volatile long appendedTxid = -1;
  private volatile long growths;
  private long forcedGrowths;

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

  /**
   * Returns the newest valid header, or null when neither slot holds one, and remembers its txid.
   * Only the holder of the writer lock calls it.
   */
  Header newestHeader() throws IOException {
    Header newest = readNewestHeader();
    headerTxid = newest == null ? -1 : newest.meta().txid();
    flushedTxid = Math.max(flushedTxid, headerTxid);
    return newest;
  }

  /** Returns the newest valid header, or null when neither slot holds one; any thread. */
  private Header readNewestHeader() throws IOException {
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
  public synchronized void flushedThrough(long txid) {
    flushedTxid = Math.max(flushedTxid, txid);
  }

  /**
   * Makes sure the chain of records ends at {@code newest}, the newest commit, and returns whether
   * a record had to be cut off. A writer that appended the record of its commit and then died, or
   * whose commit failed, before it wrote the commit's meta page leaves a record at {@code newest}'s
   * log end that builds on {@code newest}: nobody saw that commit, yet a replay after the machine
   * restarted would bring it back over whatever readers saw since. Zeros that record's header and
   * flushes the log, so that the next commit's record cannot fail to replace it. The writer lock's
   * holder only.
   */
  public boolean cutChainAfter(Meta newest) throws IOException {
    long at = newest.logEnd();
    byte[] head = new byte[LogLayout.HEADER_SIZE];
    if (file.read(ByteBuffer.wrap(head), at) < head.length
        || LogRecord.chainedLength(head, newest.txid()) < 0) {
      return false;
    }
    file.write(ByteBuffer.wrap(new byte[LogLayout.HEADER_SIZE]), at);
    file.force(false);
    return true;
  }

  /**
   * Writes {@code record}, the record of commit {@code txid}, at offset {@code at}, growing the
   * file first when it is too short. The writer's thread only.
   */
  public void append(ByteBuffer record, long at, long txid) throws IOException {
    if (ensureSize(at + record.remaining())) {
      growths++;
    }
    file.write(record, at);
    appendedTxid = txid;
  }

  /**
   * Flushes every record appended so far (with the file's size when it grew since the last flush
   * here) and notes them flushed; any thread.
   */
  public synchronized void forceAppended() throws IOException {
    long appended = appendedTxid;
    long grown = growths;
    file.force(grown != forcedGrowths);
    forcedGrowths = grown;
    flushedThrough(appended);
  }

  /**
   * Returns why this log would not bring the database back to {@code meta}, a committed state, if
   * the machine restarted now, or null when it would: its header unreadable or naming another
   * database, or the chain of records from the checkpoint ending before {@code meta}'s record. A
   * checkpoint newer than {@code meta} covers it.
   */
  public String problemFor(Meta meta) throws IOException {
    Header header = readNewestHeader();
    if (header == null) {
      return "neither header slot of the write-ahead log is readable: file=" + path;
    }
    Meta checkpoint = header.meta();
    if (checkpoint.databaseId() != meta.databaseId()) {
      return "the write-ahead log's header names another database: file=" + path;
    }
    if (checkpoint.txid() >= meta.txid() || meta.logEnd() == LogLayout.records(pageSize)) {
      return null;
    }
    ChainEnd chain = followChain(checkpoint, meta.logEnd(), (record, at) -> {});
    if (chain.last().txid() == meta.txid() && chain.end() == meta.logEnd()) {
      return null;
    }
    return "the write-ahead log does not hold commit "
        + meta.txid()
        + ": its chain from checkpoint "
        + checkpoint.txid()
        + " ends at txid "
        + chain.last().txid()
        + ", offset "
        + chain.end()
        + (chain.tornTxid() < 0 ? "" : ", before a damaged record of txid " + chain.tornTxid())
        + "; a restart of the machine now would lose the commits after it: file="
        + path;
  }

  /**
   * ChainEnd is where the chain of records from a checkpoint ended.
   *
   * @param last the meta of the last record of the chain, or the checkpoint's when it has none
   * @param previous the state {@code last} built on, or null when the chain has no record
   * @param end the offset just past the last record
   * @param tornTxid the txid of a record that builds on {@code last} but is torn or damaged, or -1
   *     when the chain ended at zeros or at a record from before the checkpoint
   */
  public record ChainEnd(Meta last, Meta previous, long end, long tornTxid) {}

  /** RecordVisitor receives each record of a chain in order. */
  @FunctionalInterface
  interface RecordVisitor {
    /** Receives the record at offset {@code at}. */
    void visit(LogRecord record, long at) throws IOException;
  }

  /**
   * Follows the chain of records that starts at {@code checkpoint} (the header's meta), up to
   * offset {@code limit} or its end, handing each record to {@code visitor}. Any thread may call
   * it.
   */
  ChainEnd followChain(Meta checkpoint, long limit, RecordVisitor visitor) throws IOException {
    Meta current = checkpoint;
    Meta previous = null;
    long at = LogLayout.records(pageSize);
    long until = Math.min(limit, file.size());
    byte[] head = new byte[LogLayout.HEADER_SIZE];
    while (at + LogLayout.HEADER_SIZE <= until) {
      file.read(ByteBuffer.wrap(head), at);
      long length = LogRecord.chainedLength(head, current.txid());
      if (length < 0) {
        break; // Zeros, or a record from before the checkpoint: the end of the chain.
      }
      LogRecord record = null;
      if (length >= LogLayout.HEADER_SIZE && length <= Math.min(until - at, Integer.MAX_VALUE)) {
        byte[] bytes = new byte[(int) length];
        if (file.read(ByteBuffer.wrap(bytes), at) == length) {
          record = LogRecord.decode(bytes, current.txid(), pageSize, path);
        }
      }
      if (record == null) {
        return new ChainEnd(current, previous, at, LogRecord.txidOf(head));
      }
      visitor.visit(record, at);
      previous = current;
      current = record.meta();
      at += length;
    }
    return new ChainEnd(current, previous, at, -1);
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
    WritePieces.zeros(file, size, target);
    size = target;
    return true;
  }

  @Override
  public void close() throws IOException {
    file.close();
  }
}
