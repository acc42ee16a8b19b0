package dev.mmkit.core;

import java.io.Serial;

/**
 * UnsupportedPlatformException reports a feature this platform or JVM cannot provide, for example
 * locking memory when native access is disabled. {@link Platform#liveFeatures()} tells in advance
 * which features are live.
 */
public class UnsupportedPlatformException extends MmkitException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates the exception.
   *
   * @param message what failed, in {@code key=value} form
   */
  public UnsupportedPlatformException(String message) {
    super(message);
  }

  /**
   * Creates the exception with the failure that caused it.
   *
   * @param message what failed, in {@code key=value} form
   * @param cause the underlying failure
   */
  public UnsupportedPlatformException(String message, Throwable cause) {
    super(message, cause);
  }
}
