package dev.mmkit.kv.internal.txn;

import dev.mmkit.core.FullException;
import dev.mmkit.core.MmkitException;
import dev.mmkit.kv.Durability;
import dev.mmkit.kv.internal.check.StrictCheck;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.LogLayout;
import dev.mmkit.kv.internal.page.LogRecord;
import dev.mmkit.kv.internal.page.Meta;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.OverflowPage;
import dev.mmkit.kv.internal.page.PageLayout;
import dev.mmkit.kv.internal.storage.FreeState;
import dev.mmkit.kv.internal.storage.PageFile;
import dev.mmkit.kv.internal.storage.Snapshot;
import dev.mmkit.kv.internal.storage.StoreFile;
import dev.mmkit.kv.internal.storage.WriteAheadLog;
import dev.mmkit.kv.internal.tree.BucketTree;
import dev.mmkit.kv.internal.tree.TreeSpill;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * Commit writes a write transaction to the file: it spills the changed nodes of every changed
 * bucket to newly allocated pages ({@link TreeSpill}), appends a freelist record that lists every
 * page it wrote, and writes the pages with positional writes, a batch of consecutive pages per
 * write, none of them reachable yet. Then, as {@link LogLayout} describes:
 *
 * <ul>
 *   <li>a commit whose pages fit in a record of the write-ahead log appends that record (the same
 *       pages, and its meta page), flushes the log alone when the durability mode asks, and writes
 *       the meta page that makes it visible to the data file without a flush;
 *   <li>a larger commit, or one that finds the log full, is a checkpoint: it flushes the data file
 *       (its own pages and every page written since the last checkpoint), writes its meta page, and
 *       makes that meta the log's new header, flushed, which starts the log over. A large commit
 *       never holds all its pages in memory: past the record limit nothing more is kept.
 * </ul>
 *
 * In strict mode each tree page is checked ({@link StrictCheck}) before it is queued.
 */
final class Commit implements TreeSpill.Pages {
  private static final int CHUNK = 1 << 20;
  private static final long MIN_HELD_FOR_FLUSH = 16;

  private final TxnState tx;
  private final StoreFile store;
  private final Snapshot base;
  private final FreeState free;
  private final int pageSize;
  private final long txid;
  private final List<OverflowWrite> overflows = new ArrayList<>();
  private final StrictCheck strict;
  private final LogRecord.Builder record;
  private ByteBuffer batch;
  private long batchFirst = -1;
  private long batchNext = -1;
  private boolean grew;
  private long pagesWritten;
  private long bytesWritten;
  private long flushNanos;
  private long bytesLogged;
  private boolean deferWrites;
  private boolean flushLeft;
  private CommitEvent event;
  private long oldestReader;
  private long pendingPages;

  private record OverflowWrite(long page, byte[] header, byte[] value, long padding) {}

  /**
   * Prepares the commit of {@code tx}. With {@code staged}, a durable commit that goes to the log
   * stops once its record is appended: its data-file page writes ({@link #writeDeferredPages}), the
   * log's flush and its meta page are left to {@link StagedCommit}.
   */
  Commit(TxnState tx, boolean staged) {
    this.tx = tx;
    this.deferWrites = staged && tx.store().durability() == Durability.SYNC;
    this.store = tx.store();
    this.base = tx.snapshot();
    this.free = tx.lease().free();
    this.pageSize = base.pageSize();
    this.txid = tx.txid();
    this.strict = store.options().strict() ? new StrictCheck(base, txid) : null;
    long capacity = store.log().capacity();
    long room = Math.min(capacity / 4, capacity - base.meta().logEnd());
    this.record = store.writer().logRecord(room);
  }

  Meta run() {
    BucketTree root = tx.openedRoot();
    if (root == null || !root.dirty()) {
      return base.meta();
    }
    event = new CommitEvent();
    event.begin();
    store.recordAttempt(txid);
    oldestReader = store.oldestReader();
    // Pages freed by the commit before the newest one whose meta page is in the data file may be
    // reused. In a chain of staged commits (see StagedCommit) the base's may not be written yet:
    // a flushed record is not enough, as an open after a process crash (no restart) replays
    // nothing and starts from the newest meta page.
    long settled = tx.chained() ? Math.min(base.txid(), store.latest().txid()) : base.txid();
    long reusable = Math.min(oldestReader, settled - 1);
    if (store.durability() == Durability.NO_SYNC) {
      reusable = Math.min(reusable, unflushedHorizon(reusable));
    }
    free.beginCommit(reusable);
    try {
      base.read(
          () -> {
            new TreeSpill(tx, free, strict, this).spill(root);
            return null;
          });
    } catch (UncheckedIOException e) {
      throw failed(e.getCause());
    }
    long[] freed = tx.freed.sortedUnique();
    List<byte[]> freelist = free.finishCommit(txid, freed, pageSize);
    Meta meta;
    try {
      for (byte[] p : freelist) {
        addPage(Bytes.getLong(p, PageLayout.PAGE_ID), p);
      }
      meta = write(free.nextMeta(base.meta(), txid, root.header()));
    } catch (IOException e) {
      throw failed(e);
    }
    pendingPages = free.pendingCount();
    if (flushLeft) {
      describe(event);
    } else {
      recordEvent();
    }
    return meta;
  }

  /**
   * Returns whether {@link #run} left the data-file page writes, the log's flush and the meta page
   * to {@link StagedCommit}.
   */
  boolean flushLeft() {
    return flushLeft;
  }

  /** Returns the Flight Recorder event of a commit whose flush was left, to end when it is done. */
  CommitEvent pendingEvent() {
    return event;
  }

  private void recordEvent() {
    event.end();
    describe(event);
    event.commitIfEnabled(flushNanos);
  }

  private void describe(CommitEvent event) {
    if (event.isEnabled()) {
      event.file = store.path().toString();
      event.txid = txid;
      event.pages = pagesWritten;
      event.bytes = bytesWritten;
      event.durability = store.durability().name();
      event.fileGrew = grew;
      event.checkpoint = bytesLogged == 0;
      event.bytesLogged = bytesLogged;
      event.pendingPages = pendingPages;
      event.oldestReaderLag = Math.max(0, base.txid() - oldestReader);
    }
  }

  /**
   * Returns up to which txid pages freed since may be reused by a commit that does not flush the
   * log. A power loss may keep only a prefix of the unflushed records, and replaying a prefix must
   * find every page its last state reaches as that state left it: a page freed by a commit whose
   * record may be lost is not reused until the log is flushed past that commit. When that holds
   * back many pages, the log is flushed now (one {@code fdatasync} of the log alone) and {@code
   * wanted} is returned.
   */
  private long unflushedHorizon(long wanted) {
    WriteAheadLog log = store.log();
    long flushed = log.flushedTxid();
    long held = free.pendingCount(flushed, wanted);
    if (held <= Math.max(MIN_HELD_FOR_FLUSH, base.meta().pageCount() / 64)) {
      return flushed;
    }
    try {
      log.forceAppended();
    } catch (IOException e) {
      throw failed(e);
    }
    return wanted;
  }

  private MmkitException failed(IOException e) {
    if (String.valueOf(e.getMessage()).contains("No space left")) {
      return new FullException("disk full while committing: file=" + store.path(), e);
    }
    return new MmkitException("commit failed: file=" + store.path() + ", txid=" + txid, e);
  }

  @Override
  public long writeOverflow(byte[] value) {
    long count = NodeLayout.overflowPages(value.length, pageSize);
    long first = free.allocate(count);
    long padding = OverflowPage.padding(count, value.length, pageSize);
    byte[] head = OverflowPage.header(first, txid, count, value, padding);
    overflows.add(new OverflowWrite(first, head, value, padding));
    return first;
  }

  /** Queues page {@code page} for writing; consecutive pages go out in one write. */
  @Override
  public void addPage(long page, byte[] b) throws IOException {
    if (batch == null) {
      batch = store.writer().writeBuffer();
    }
    if (page != batchNext || !batch.hasRemaining()) {
      flushBatch();
      batchFirst = page;
    }
    batch.put(b);
    batchNext = page + 1;
    pagesWritten++;
  }

  private void flushBatch() throws IOException {
    if (batch != null && batch.position() > 0) {
      batch.flip();
      long end = batchFirst * pageSize + batch.remaining();
      grew |= store.writer().ensureFileSize(end);
      bytesWritten += batch.remaining();
      record.beginRun(batchFirst, batch.remaining() / pageSize);
      record.append(batch);
      if (!keptForLater()) {
        store.file().write(batch, batchFirst * pageSize);
      }
      batch.clear();
    }
  }

  /**
   * Returns whether the run just begun stays in the record alone for now, its data-file write left
   * to {@link #writeDeferredPages} after the log append; once the record outgrows its limit, writes
   * every run deferred so far and defers nothing more.
   */
  private boolean keptForLater() throws IOException {
    if (!deferWrites) {
      return false;
    }
    if (!record.tooLarge()) {
      return true;
    }
    deferWrites = false;
    writeDeferredPages();
    return false;
  }

  /**
   * Writes to the data file the pages whose writes a staged commit left until its record was
   * appended (see {@link StagedCommit#writePages}); the writer's thread, before its next commit.
   */
  void writeDeferredPages() throws IOException {
    PageFile f = store.file();
    record.forEachPageRun((first, pages) -> f.write(pages, first * pageSize));
  }

  private static void writeOverflowRun(PageFile f, OverflowWrite o, long at) throws IOException {
    f.write(ByteBuffer.wrap(o.header()), at);
    at += PageLayout.HEADER_SIZE;
    for (int off = 0; off < o.value().length; off += CHUNK) {
      int n = Math.min(CHUNK, o.value().length - off);
      f.write(ByteBuffer.wrap(o.value(), off, n), at);
      at += n;
    }
    if (o.padding() > 0) {
      f.write(ByteBuffer.wrap(new byte[(int) o.padding()]), at);
    }
  }

  /** Writes what is left and the meta page, logged or as a checkpoint; returns the meta. */
  private Meta write(Meta meta) throws IOException {
    PageFile f = store.file();
    flushBatch();
    grew |= store.writer().ensureFileSize(meta.pageCount() * pageSize);
    for (OverflowWrite o : overflows) {
      long at = o.page() * pageSize;
      long count = NodeLayout.overflowPages(o.value().length, pageSize);
      pagesWritten += count;
      bytesWritten += PageLayout.HEADER_SIZE + o.value().length + o.padding();
      record.beginRun(o.page(), count);
      record.append(o.header(), 0, o.header().length);
      record.append(o.value(), 0, o.value().length);
      if (o.padding() > 0) {
        record.appendZeros(o.padding());
      }
      if (!keptForLater()) {
        writeOverflowRun(f, o, at);
      }
    }
    WriteAheadLog log = store.log();
    long logAt = base.meta().logEnd();
    boolean sync = store.durability() == Durability.SYNC;
    if (!record.tooLarge() && logAt + record.lengthWithMeta() <= log.capacity()) {
      Meta done = meta.withLogEnd(logAt + record.lengthWithMeta());
      ByteBuffer rec = record.seal(txid, base.txid(), done.encode());
      bytesLogged = rec.remaining();
      log.append(rec, logAt, txid);
      if (deferWrites) {
        flushLeft = true;
        return done;
      }
      tx.awaitPrevious();
      flushNanos = store.writer().finishLogged(done, sync);
      return done;
    }
    if (deferWrites) {
      deferWrites = false;
      writeDeferredPages();
    }
    tx.awaitPrevious(); // A checkpoint flushes the data file for every commit before it.
    long start = System.nanoTime();
    Meta done = meta.withLogEnd(LogLayout.records(pageSize));
    f.force(grew);
    f.write(ByteBuffer.wrap(done.encode()), (txid & 1) * pageSize);
    log.writeHeader(done);
    flushNanos = System.nanoTime() - start;
    return done;
  }
}
