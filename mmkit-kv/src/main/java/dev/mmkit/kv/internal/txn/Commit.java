package dev.mmkit.kv.internal.txn;

import dev.mmkit.core.FullException;
import dev.mmkit.core.MmkitException;
import dev.mmkit.kv.Durability;
import dev.mmkit.kv.internal.check.StrictCheck;
import dev.mmkit.kv.internal.page.Bytes;
import dev.mmkit.kv.internal.page.Meta;
import dev.mmkit.kv.internal.page.NodeLayout;
import dev.mmkit.kv.internal.page.OverflowPage;
import dev.mmkit.kv.internal.page.PageLayout;
import dev.mmkit.kv.internal.storage.CommitCompleteness;
import dev.mmkit.kv.internal.storage.FreeState;
import dev.mmkit.kv.internal.storage.PageFile;
import dev.mmkit.kv.internal.storage.Snapshot;
import dev.mmkit.kv.internal.storage.StoreFile;
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
 * page it wrote, writes the pages with positional writes, then the meta page that makes the commit
 * visible, and flushes all of it once when the durability mode asks. Pages are written as they are
 * encoded, a batch of consecutive pages per write, so a large commit never holds all its pages in
 * memory; none of them is reachable before the meta page is written. A flush cut short by a power
 * loss is detected at the next open ({@link CommitCompleteness}), which then uses the previous
 * commit, whose pages this one never overwrote. In strict mode each tree page is checked ({@link
 * StrictCheck}) before it is queued.
 */
final class Commit implements TreeSpill.Pages {
  private static final int CHUNK = 1 << 20;

  private final TxnState tx;
  private final StoreFile store;
  private final Snapshot base;
  private final FreeState free;
  private final int pageSize;
  private final long txid;
  private final List<OverflowWrite> overflows = new ArrayList<>();
  private final StrictCheck strict;
  private ByteBuffer batch;
  private long batchFirst = -1;
  private long batchNext = -1;
  private boolean grew;
  private long pagesWritten;
  private long bytesWritten;
  private long flushNanos;

  private record OverflowWrite(long page, byte[] header, byte[] value, long padding) {}

  Commit(TxnState tx) {
    this.tx = tx;
    this.store = tx.store();
    this.base = tx.snapshot();
    this.free = tx.lease().free();
    this.pageSize = base.pageSize();
    this.txid = tx.txid();
    this.strict = store.options().strict() ? new StrictCheck(base, txid) : null;
  }

  Meta run() {
    BucketTree root = tx.openedRoot();
    if (root == null || !root.dirty()) {
      return base.meta();
    }
    CommitEvent event = new CommitEvent();
    event.begin();
    store.recordAttempt(txid);
    long oldest = store.oldestReader();
    free.beginCommit(Math.min(oldest, base.txid() - 1));
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
    Meta meta = free.nextMeta(base.meta(), txid, root.header());
    try {
      for (byte[] p : freelist) {
        addPage(Bytes.getLong(p, PageLayout.PAGE_ID), p);
      }
      write(meta);
    } catch (IOException e) {
      throw failed(e);
    }
    event.end();
    if (event.shouldCommit()) {
      event.file = store.path().toString();
      event.txid = txid;
      event.pages = pagesWritten;
      event.bytes = bytesWritten;
      event.flushTime = flushNanos;
      event.durability = store.durability().name();
      event.fileGrew = grew;
      event.pendingPages = free.pendingCount();
      event.oldestReaderLag = Math.max(0, base.txid() - oldest);
      event.commit();
    }
    return meta;
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
      store.file().write(batch, batchFirst * pageSize);
      batch.clear();
    }
  }

  private void write(Meta meta) throws IOException {
    PageFile f = store.file();
    flushBatch();
    grew |= store.writer().ensureFileSize(meta.pageCount() * pageSize);
    for (OverflowWrite o : overflows) {
      long at = o.page() * pageSize;
      pagesWritten += NodeLayout.overflowPages(o.value().length, pageSize);
      bytesWritten += PageLayout.HEADER_SIZE + o.value().length + o.padding();
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
    f.write(ByteBuffer.wrap(meta.encode()), (txid & 1) * pageSize);
    if (store.durability() == Durability.SYNC) {
      long start = System.nanoTime();
      f.force(grew);
      flushNanos = System.nanoTime() - start;
    }
  }
}
