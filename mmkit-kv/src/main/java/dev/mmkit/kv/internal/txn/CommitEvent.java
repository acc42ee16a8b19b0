package dev.mmkit.kv.internal.txn;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;
import jdk.jfr.Timespan;

/**
 * CommitEvent is the JDK Flight Recorder event {@code mmkit.kv.Commit}: a write transaction was
 * written to the file. Its duration is the whole commit, from spilling the changed trees to the
 * return of the flush. It costs nothing unless a recording enables it.
 */
@Name("mmkit.kv.Commit")
@Label("Commit")
@Category({"mmkit", "Key-Value"})
@Description("A write transaction was written to the database file.")
@StackTrace(false)
@Threshold("0 ms")
final class CommitEvent extends Event {
  @Label("File")
  String file;

  @Label("Transaction Id")
  long txid;

  @Label("Pages Written")
  @Description("Tree, overflow and freelist pages written, not counting the meta page")
  long pages;

  @Label("Bytes Written")
  @DataAmount
  long bytes;

  @Label("Flush Time")
  @Description(
      "Time in fdatasync or fsync; 0 when the durability mode does not flush, or when a flush for"
          + " an earlier commit of a batch pipeline already covered this one")
  @Timespan
  long flushTime;

  @Label("Durability")
  String durability;

  @Label("File Grew")
  boolean fileGrew;

  @Label("Checkpoint")
  @Description("The commit flushed the data file and started the write-ahead log over")
  boolean checkpoint;

  @Label("Bytes Logged")
  @DataAmount
  @Description("Bytes appended to the write-ahead log (0 for a checkpoint)")
  long bytesLogged;

  @Label("Pages Kept For Readers")
  @Description("Pages freed by commits that a live reader may still see, so not yet reusable")
  long pendingPages;

  @Label("Oldest Reader Lag")
  @Description("Commits between the oldest live reader's snapshot and this commit; 0 when none")
  long oldestReaderLag;

  /** Records the event, ended, with {@code flushNanos} as its flush time, when it is enabled. */
  void commitIfEnabled(long flushNanos) {
    if (shouldCommit()) {
      flushTime = flushNanos;
      commit();
    }
  }
}
