package dev.mmkit.raft;

import dev.mmkit.core.MmkitException;
import java.io.Serial;

/**
 * ClusterException reports a failure of the replicated store: a request the cluster refused, a
 * reply that could not be decoded, a directory that belongs to another cluster. It is the root of
 * this module's exceptions except {@link ClusterTimeoutException}, which is a {@link
 * dev.mmkit.core.TimedOutException}.
 */
public class ClusterException extends MmkitException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, in {@code key=value} form
   */
  public ClusterException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure that caused it.
   *
   * @param message what failed, in {@code key=value} form
   * @param cause the underlying failure
   */
  public ClusterException(String message, Throwable cause) {
    super(message, cause);
  }
}
