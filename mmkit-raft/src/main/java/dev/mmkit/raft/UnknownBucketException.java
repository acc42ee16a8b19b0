package dev.mmkit.raft;

import java.io.Serial;

/**
 * UnknownBucketException reports a read or a write that names a bucket that does not exist. A write
 * that fails with it changed nothing.
 */
public class UnknownBucketException extends ClusterException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, in {@code key=value} form
   */
  public UnknownBucketException(String message) {
    super(message);
  }
}
