package dev.mmkit.kv.internal.txn;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Threshold;

/**
 * ReadTransactionEvent is the JDK Flight Recorder event {@code mmkit.kv.ReadTransaction}: a read
 * transaction ended. Its duration is the transaction's life, during which its snapshot kept every
 * page it can see from being reused; by default only those of a second or more are recorded. The
 * stack trace is where it ended.
 */
@Name("mmkit.kv.ReadTransaction")
@Label("Read Transaction")
@Category({"mmkit", "Key-Value"})
@Description("A read transaction ended; long ones keep pages freed since their snapshot pinned.")
@Threshold("1 s")
final class ReadTransactionEvent extends Event {
  @Label("File")
  String file;

  @Label("Snapshot Transaction Id")
  long txid;

  @Label("Commits Since")
  @Description("Commits this process knew of when the transaction ended that it could not see")
  long commitsSince;
}
