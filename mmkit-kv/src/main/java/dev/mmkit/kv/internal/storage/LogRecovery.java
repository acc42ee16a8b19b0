package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.MmkitException;
import dev.mmkit.core.SharedLock;
import dev.mmkit.kv.CorruptDbException;
import dev.mmkit.kv.DiscardedCommit;
import dev.mmkit.kv.internal.page.LogLayout;
import dev.mmkit.kv.internal.page.Meta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * LogRecovery brings the data file and its write-ahead log ({@link LogLayout}) into step when a
 * database is opened, before anything reads the data file:
 *
 * <ul>
 *   <li>At the first open after the machine restarted ({@link LockFile#needsRecovery}), writes
 *       every record of the chain that starts at the log's checkpoint over the data file, in order,
 *       flushes it, makes the newest state the log's new checkpoint and writes it, and the state
 *       before it, over the meta pages. What is set aside — a torn record at the end of the chain,
 *       a meta page newer than the chain — is returned as a {@link DiscardedCommit}.
 *   <li>For a data file without a log of its own (a new database, a backup, a compacted copy, all
 *       flushed whole; or a file moved in beside another database's log, which the database id in
 *       the log's header tells), creates the log with the newest meta page as its checkpoint.
 * </ul>
 *
 * Both happen under the writer lock; a second process opening at the same time finds the work done.
 */
final class LogRecovery {
  private final Path path;
  private final PageFile.Opener opener;
  private final int pageSize;
  private final long capacity;
  private final long records;
  private final Path logPath;

  private LogRecovery(Path path, PageFile.Opener opener, int pageSize, long capacity) {
    this.path = path;
    this.logPath = WriteAheadLog.pathOf(path);
    this.opener = opener;
    this.pageSize = pageSize;
    this.capacity = capacity;
    this.records = LogLayout.records(pageSize);
  }

  /**
   * Recovers or creates the log of the database at {@code path} when needed; returns what recovery
   * set aside, or null. A read-only open creates no log (the file without one is read as it is) but
   * still recovers, since until then the data file may be torn.
   */
  static DiscardedCommit prepare(
      Path path,
      PageFile.Opener opener,
      LockFile lock,
      int pageSize,
      long capacity,
      boolean readOnly) {
    LogRecovery recovery = new LogRecovery(path, opener, pageSize, capacity);
    SharedLock.Guard guard = null;
    try {
      if (recovery.inStep(lock, readOnly)) {
        return null;
      }
      guard = lock.writer().acquire();
      if (recovery.inStep(lock, readOnly)) {
        return null; // Another process did it first.
      }
      if (!lock.needsRecovery() || !Files.exists(recovery.logPath)) {
        // Nothing to replay: this boot's page cache holds every write, or there is no log.
        if (readOnly) {
          return null; // The file is read as it is; a writer will create its log.
        }
        long newest = recovery.adopt();
        if (lock.needsRecovery()) {
          lock.recordAttempt(newest + 1);
        }
        return null;
      }
      Outcome outcome = recovery.replay();
      lock.recordAttempt(outcome.highestTxid + 1);
      return outcome.discarded;
    } catch (AccessDeniedException e) {
      throw new MmkitException(
          "the database must be recovered after the machine restarted, which needs write access:"
              + " file="
              + path
              + ", "
              + e,
          e);
    } catch (IOException e) {
      throw new MmkitException("cannot recover the database: file=" + path + ", " + e, e);
    } finally {
      if (guard != null) {
        guard.close();
      }
    }
  }

  /**
   * Returns whether there is nothing to do: the machine has not restarted since the last writer and
   * the log is this file's, or a read-only open finds no log.
   */
  private boolean inStep(LockFile lock, boolean readOnly) throws IOException {
    if (!Files.exists(logPath)) {
      return readOnly;
    }
    return !lock.needsRecovery() && isThisFilesLog(newestDataMeta());
  }

  /**
   * Returns whether the log's header names the database id of {@code data} (the data file's newest
   * valid meta, or null when neither meta page is readable and the log must be trusted).
   */
  private boolean isThisFilesLog(Meta data) throws IOException {
    try (WriteAheadLog log = WriteAheadLog.open(path, opener, false, pageSize, capacity)) {
      WriteAheadLog.Header header = log.newestHeader();
      return header != null && (data == null || header.meta().databaseId() == data.databaseId());
    }
  }

  /** Returns the data file's newest valid meta, or null when neither meta page is readable. */
  private Meta newestDataMeta() throws IOException {
    try (PageFile main = opener.open(path, false)) {
      return MetaReader.atOpen(main, path).newestFirst().getFirst();
    } catch (CorruptDbException neitherReadable) {
      return null;
    }
  }

  /** What a replay found: what it set aside and the highest txid anything on disk carries. */
  private record Outcome(DiscardedCommit discarded, long highestTxid) {}

  /**
   * Makes the newest valid meta page of the data file the checkpoint of a new log, replacing one
   * whose header is unreadable; returns its txid.
   */
  private long adopt() throws IOException {
    try (PageFile main = opener.open(path, true)) {
      Meta newest = MetaReader.atOpen(main, path).newestFirst().getFirst();
      Meta top = newest.withLogEnd(records);
      if (newest.logEnd() != records) {
        main.write(ByteBuffer.wrap(top.encode()), (top.txid() & 1) * pageSize);
        main.force(false);
      }
      try (WriteAheadLog log = WriteAheadLog.create(path, opener, pageSize, capacity)) {
        log.writeHeader(top);
      }
      StoreFile.syncDirectory(path);
      return top.txid();
    }
  }

  private Outcome replay() throws IOException {
    WriteAheadLog.Header header;
    boolean neverWritten;
    try (WriteAheadLog log = WriteAheadLog.open(path, opener, false, pageSize, capacity)) {
      header = log.newestHeader();
      neverWritten = log.currentSize() < records;
    }
    Meta data = newestDataMeta();
    if (header != null && data != null && header.meta().databaseId() != data.databaseId()) {
      return new Outcome(null, adopt()); // A log left beside another file: not this one's.
    }
    if (header == null) {
      long txid = adopt();
      DiscardedCommit lost =
          neverWritten
              ? null
              : new DiscardedCommit(
                  -1,
                  -1,
                  "neither header slot of the write-ahead log is readable, so commits since its"
                      + " last checkpoint could not be replayed",
                  txid);
      return new Outcome(lost, txid);
    }
    try (PageFile main = opener.open(path, true);
        WriteAheadLog log = WriteAheadLog.open(path, opener, true, pageSize, capacity)) {
      MetaReader.Slots before = metaPages(main);
      WriteAheadLog.ChainEnd chain =
          log.followChain(
              header.meta(),
              Long.MAX_VALUE,
              (record, at) ->
                  record.forEachRun((first, bytes) -> main.write(bytes, first * pageSize)));
      Meta current = chain.last();
      DiscardedCommit discarded =
          chain.tornTxid() < 0
              ? null
              : new DiscardedCommit(
                  -1,
                  chain.tornTxid(),
                  "its write-ahead log record is torn: offset=" + chain.end(),
                  current.txid());
      long highest = Math.max(current.txid(), chain.tornTxid());
      main.force(true);
      Meta top = current.withLogEnd(records);
      log.writeHeader(top);
      Outcome metas = rewriteMetaPages(main, before, top, chain.previous());
      main.force(false);
      return new Outcome(
          discarded != null ? discarded : metas.discarded(),
          Math.max(highest, metas.highestTxid()));
    }
  }

  /**
   * Writes {@code top}, and the state before it when there is one, over the meta pages. A meta page
   * that named a commit newer than {@code top} before the replay ({@code slots}) is returned as set
   * aside — the log's chain ended before it, so its record was lost or damaged — and cleared when
   * nothing else overwrites it.
   */
  private Outcome rewriteMetaPages(PageFile main, MetaReader.Slots slots, Meta top, Meta previous)
      throws IOException {
    int topSlot = (int) (top.txid() & 1);
    int other = 1 - topSlot;
    DiscardedCommit discarded = null;
    long highest = top.txid();
    for (Meta m : slots.newestFirst()) {
      if (m.txid() <= top.txid()) {
        continue;
      }
      highest = Math.max(highest, m.txid());
      discarded =
          new DiscardedCommit(
              (int) (m.txid() & 1),
              m.txid(),
              "its meta page is newer than the last commit in the write-ahead log, whose record is"
                  + " missing or damaged",
              top.txid());
    }
    main.write(ByteBuffer.wrap(top.encode()), topSlot * (long) pageSize);
    if (previous != null) {
      main.write(ByteBuffer.wrap(previous.withLogEnd(records).encode()), other * (long) pageSize);
    } else if (slots.metas()[other] != null && slots.metas()[other].txid() > top.txid()) {
      main.write(ByteBuffer.wrap(new byte[pageSize]), other * (long) pageSize);
    }
    return new Outcome(discarded, highest);
  }

  /** Returns the data file's meta pages as they are now, none when neither is readable. */
  private MetaReader.Slots metaPages(PageFile main) throws IOException {
    try {
      return MetaReader.atOpen(main, path);
    } catch (CorruptDbException neitherReadable) {
      return new MetaReader.Slots(new Meta[2], new String[2]);
    }
  }
}
