package dev.mmkit.raft.internal;

import dev.mmkit.raft.KeyValue;
import java.util.List;

/** Response is a member's answer to a {@link Request}. */
public sealed interface Response {
  /**
   * Written answers a write.
   *
   * @param succeeded whether the then-branch applied
   * @param revision the write's log index
   */
  record Written(boolean succeeded, long revision) implements Response {}

  /**
   * Values answers a get (zero or one entry) or a scan.
   *
   * @param applied the log index the answering member had applied when it read
   * @param entries the entries, in scan order
   */
  record Values(long applied, List<KeyValue> entries) implements Response {}

  /**
   * Names answers a bucket listing.
   *
   * @param applied the log index the answering member had applied when it read
   * @param names the bucket names, in key order
   */
  record Names(long applied, List<byte[]> names) implements Response {}

  /**
   * Failed reports a request the store refused; it changed nothing.
   *
   * @param error why
   * @param message what, in key=value form
   */
  record Failed(Error error, String message) implements Response {}

  /** Error names why a request was refused. */
  enum Error {
    /** A bucket named does not exist. */
    UNKNOWN_BUCKET,
    /** The request contradicts the store: a put on a key that names a bucket, and the like. */
    REJECTED,
    /** The member has not applied the log as far as the read asked. */
    STALE
  }
}
