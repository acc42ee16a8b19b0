package dev.mmkit.kv;

/**
 * DiscardedCommit is what a database set aside when it was opened, because it could not be trusted:
 * a meta page that failed its checks, a newest commit that did not reach the disk whole (a page it
 * wrote missing, torn or stale), or, at the first open after the machine restarted, a write-ahead
 * log record that was torn or a meta page newer than the log's last record. The database opened at
 * the newest sound commit before it.
 *
 * <p>After a power loss or an operating system crash in the middle of a commit this is expected and
 * correct: that commit had not been acknowledged, and {@link Durability#SYNC} promises every
 * acknowledged one. At any other time it means the file was damaged after it was written, and a
 * commit that was acknowledged may be lost. Either way {@link Db#check()} reports it until the next
 * commit overwrites the meta page (for what the log's replay set aside: until the next commit).
 *
 * @param metaPage the meta page (0 or 1) set aside, or -1 for a record of the write-ahead log
 * @param txid the txid of the commit set aside, or -1 when its meta page was unreadable
 * @param reason what was wrong, in {@code key=value} form where it has details
 * @param openedTxid the txid of the commit the database opened at instead
 */
public record DiscardedCommit(int metaPage, long txid, String reason, long openedTxid) {

  /** Returns one sentence saying what was set aside, why, and what it means. */
  public String message() {
    String what;
    if (metaPage < 0) {
      what =
          txid < 0
              ? "the write-ahead log could not be replayed (" + reason + ")"
              : "the commit of txid "
                  + txid
                  + " in the write-ahead log is incomplete ("
                  + reason
                  + ")";
    } else {
      what =
          txid < 0
              ? "meta page " + metaPage + " is unreadable (" + reason + ")"
              : "the commit of txid "
                  + txid
                  + " on meta page "
                  + metaPage
                  + " is incomplete ("
                  + reason
                  + ")";
    }
    return what
        + "; the database opened at txid "
        + openedTxid
        + ". If the machine lost power or crashed during that commit, this is expected and nothing"
        + " acknowledged is lost; otherwise the file was damaged and an acknowledged commit may be"
        + " lost";
  }
}
