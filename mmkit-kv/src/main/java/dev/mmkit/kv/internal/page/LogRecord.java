package dev.mmkit.kv.internal.page;

import dev.mmkit.kv.CorruptDbException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * LogRecord encodes and decodes the records of the write-ahead log ({@link LogLayout}): a {@link
 * Builder} collects the runs of pages a commit writes, {@link #decode} checks a record read back
 * and hands out its runs.
 *
 * @param txid the commit the record holds
 * @param baseTxid the commit it builds on
 * @param meta the commit's meta page, decoded
 * @param bytes the whole record
 * @param pageSize the page size of the database
 */
public record LogRecord(long txid, long baseTxid, Meta meta, byte[] bytes, int pageSize) {

  /**
   * RunConsumer receives the runs of a record.
   *
   * @param <E> what it may throw
   */
  @FunctionalInterface
  public interface RunConsumer<E extends Exception> {
    /** Receives the pages starting at page id {@code first}: all remaining {@code bytes}. */
    void run(long first, ByteBuffer bytes) throws E;
  }

  /**
   * Returns the length a record header in {@code header} ({@link LogLayout#HEADER_SIZE} bytes)
   * claims when its magic is right and it builds on {@code baseTxid} with a higher txid, else -1:
   * the end of the chain.
   */
  public static long chainedLength(byte[] header, long baseTxid) {
    if (Bytes.getInt(header, 0) != LogLayout.MAGIC
        || Bytes.getLong(header, LogLayout.BASE_TXID) != baseTxid
        || Bytes.getLong(header, LogLayout.TXID) <= baseTxid) {
      return -1;
    }
    return Bytes.getLong(header, LogLayout.LENGTH);
  }

  /** Returns the txid in a record header. */
  public static long txidOf(byte[] header) {
    return Bytes.getLong(header, LogLayout.TXID);
  }

  /**
   * Decodes a record read whole into {@code bytes}, which a header naming {@code baseTxid} began.
   *
   * @return the record, or null when it is torn or damaged: its checksum, runs or meta page are not
   *     as a commit wrote them
   */
  public static LogRecord decode(byte[] bytes, long baseTxid, int pageSize, Path file) {
    if (bytes.length < LogLayout.HEADER_SIZE
        || Bytes.getLong(bytes, LogLayout.LENGTH) != bytes.length
        || Bytes.getInt(bytes, LogLayout.CHECKSUM) != crc(bytes, bytes.length)) {
      return null;
    }
    long txid = Bytes.getLong(bytes, LogLayout.TXID);
    int runs = Bytes.getInt(bytes, LogLayout.RUN_COUNT);
    int at = LogLayout.HEADER_SIZE;
    int metaAt = -1;
    for (int i = 0; i < runs; i++) {
      if (at + LogLayout.RUN_HEADER_SIZE > bytes.length) {
        return null;
      }
      long first = Bytes.getLong(bytes, at);
      long count = Bytes.getLong(bytes, at + 8);
      long end = at + LogLayout.RUN_HEADER_SIZE + count * pageSize;
      if (first < 0 || count < 1 || end > bytes.length) {
        return null;
      }
      metaAt = first < 2 && count == 1 ? at + LogLayout.RUN_HEADER_SIZE : -1;
      at = (int) end;
    }
    if (at != bytes.length || metaAt < 0) {
      return null;
    }
    byte[] page = Arrays.copyOfRange(bytes, metaAt, metaAt + pageSize);
    try {
      Meta meta = Meta.decode(page, txid & 1, file);
      return meta.txid() == txid ? new LogRecord(txid, baseTxid, meta, bytes, pageSize) : null;
    } catch (CorruptDbException e) {
      return null;
    }
  }

  /** Hands each run to {@code consumer}, in the order the commit wrote them. */
  public <E extends Exception> void forEachRun(RunConsumer<E> consumer) throws E {
    forEachRun(bytes, Bytes.getInt(bytes, LogLayout.RUN_COUNT), pageSize, consumer);
  }

  /** Hands the first {@code runs} runs of the record in {@code bytes} to {@code consumer}. */
  private static <E extends Exception> void forEachRun(
      byte[] bytes, int runs, int pageSize, RunConsumer<E> consumer) throws E {
    int at = LogLayout.HEADER_SIZE;
    for (int i = 0; i < runs; i++) {
      long first = Bytes.getLong(bytes, at);
      int length = (int) (Bytes.getLong(bytes, at + 8) * pageSize);
      consumer.run(first, ByteBuffer.wrap(bytes, at + LogLayout.RUN_HEADER_SIZE, length));
      at += LogLayout.RUN_HEADER_SIZE + length;
    }
  }

  private static int crc(byte[] bytes, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, LogLayout.TXID, length - LogLayout.TXID);
    return (int) crc.getValue();
  }

  /**
   * Builder collects a commit's runs of pages as the commit writes them, up to a limit past which
   * the commit is not logged (it becomes a checkpoint) and nothing more is kept. One builder serves
   * the commits of a writer in turn; {@link #reset} starts the next.
   */
  public static final class Builder {
    private static final int KEEP = 1 << 20;

    private final int pageSize;
    private byte[] buf;
    private int size;
    private int runs;
    private int pageRuns;
    private boolean sealed;
    private long runLeft;
    private long limit;
    private boolean tooLarge;

    /** Creates a builder for pages of {@code pageSize} bytes. */
    public Builder(int pageSize) {
      this.pageSize = pageSize;
      this.buf = new byte[LogLayout.HEADER_SIZE + 8 * (LogLayout.RUN_HEADER_SIZE + pageSize)];
    }

    /** Starts a new record that may grow to {@code maxLength} bytes, its meta page included. */
    public Builder reset(long maxLength) {
      if (buf.length > KEEP) {
        buf = new byte[LogLayout.HEADER_SIZE + 8 * (LogLayout.RUN_HEADER_SIZE + pageSize)];
      }
      size = LogLayout.HEADER_SIZE;
      runs = 0;
      pageRuns = 0;
      sealed = false;
      runLeft = 0;
      limit = Math.min(maxLength, Integer.MAX_VALUE - 64) - LogLayout.RUN_HEADER_SIZE - pageSize;
      tooLarge = limit < size;
      return this;
    }

    /** Returns whether the record outgrew its limit; the commit is then a checkpoint. */
    public boolean tooLarge() {
      return tooLarge;
    }

    /** Begins a run of {@code pages} pages from page id {@code first}; its bytes follow. */
    public void beginRun(long first, long pages) {
      if (runLeft != 0) {
        throw new IllegalStateException("run not complete: " + runLeft + " bytes missing");
      }
      if (!reserve(LogLayout.RUN_HEADER_SIZE + pages * pageSize)) {
        return;
      }
      Bytes.putLong(buf, size, first);
      Bytes.putLong(buf, size + 8, pages);
      size += LogLayout.RUN_HEADER_SIZE;
      runs++;
      runLeft = pages * pageSize;
    }

    /** Appends the remaining bytes of {@code source} to the run, leaving its position alone. */
    public void append(ByteBuffer source) {
      if (!tooLarge) {
        int n = source.remaining();
        source.get(source.position(), buf, size, n);
        size += n;
        runLeft -= n;
      }
    }

    /** Appends {@code b[from, from + n)} to the run. */
    public void append(byte[] b, int from, int n) {
      if (!tooLarge) {
        System.arraycopy(b, from, buf, size, n);
        size += n;
        runLeft -= n;
      }
    }

    /** Appends {@code n} zero bytes to the run. */
    public void appendZeros(long n) {
      if (!tooLarge) {
        Arrays.fill(buf, size, (int) (size + n), (byte) 0);
        size += (int) n;
        runLeft -= n;
      }
    }

    /**
     * Hands each run of tree, freelist and overflow pages kept so far to {@code consumer}, in the
     * order they were added, without the meta page a sealed record ends with; valid until the next
     * {@link #reset}.
     */
    public <E extends Exception> void forEachPageRun(RunConsumer<E> consumer) throws E {
      forEachRun(buf, sealed ? pageRuns : runs, pageSize, consumer);
    }

    /** Returns the length of the record once its meta page is added. */
    public long lengthWithMeta() {
      return size + LogLayout.RUN_HEADER_SIZE + pageSize;
    }

    /**
     * Adds the meta page {@code metaPage} as the last run, fills in the header and returns the
     * record, valid until the next {@link #reset}.
     */
    public ByteBuffer seal(long txid, long baseTxid, byte[] metaPage) {
      if (tooLarge || runLeft != 0) {
        throw new IllegalStateException("record cannot be sealed: tooLarge=" + tooLarge);
      }
      limit += LogLayout.RUN_HEADER_SIZE + pageSize;
      pageRuns = runs;
      sealed = true;
      beginRun(Bytes.getLong(metaPage, PageLayout.PAGE_ID), 1);
      append(metaPage, 0, pageSize);
      Bytes.putInt(buf, 0, LogLayout.MAGIC);
      Bytes.putLong(buf, LogLayout.TXID, txid);
      Bytes.putLong(buf, LogLayout.BASE_TXID, baseTxid);
      Bytes.putLong(buf, LogLayout.LENGTH, size);
      Bytes.putInt(buf, LogLayout.RUN_COUNT, runs);
      Bytes.putInt(buf, LogLayout.RUN_COUNT + 4, 0);
      Bytes.putInt(buf, LogLayout.CHECKSUM, crc(buf, size));
      return ByteBuffer.wrap(buf, 0, size);
    }

    private boolean reserve(long n) {
      if (tooLarge || size + n > limit) {
        tooLarge = true;
        return false;
      }
      if (size + n > buf.length) {
        buf = Arrays.copyOf(buf, (int) Math.min(limit, Math.max(size + n, 2L * buf.length)));
      }
      return true;
    }
  }
}
