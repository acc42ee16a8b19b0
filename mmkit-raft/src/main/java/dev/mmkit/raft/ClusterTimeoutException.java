package dev.mmkit.raft;

import dev.mmkit.core.TimedOutException;
import java.io.Serial;

/**
 * ClusterTimeoutException reports a request that got no answer within the client's timeout: no
 * leader was elected (a majority of members is down or cut off), or the member asked lagged too
 * far. <b>The outcome of a write that timed out is unknown</b>: it may still be applied later.
 * Retrying it through the same {@link KvClient} is safe only for writes whose effect does not
 * depend on being applied once (a put of a fixed value, a compare-and-set).
 */
public class ClusterTimeoutException extends TimedOutException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what timed out, in {@code key=value} form
   * @param cause the last failure seen, or null
   */
  public ClusterTimeoutException(String message, Throwable cause) {
    super(message, cause);
  }
}
