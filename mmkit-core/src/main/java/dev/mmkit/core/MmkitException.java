package dev.mmkit.core;

import java.io.Serial;

/**
 * MmkitException is the root of every exception mmkit throws on purpose. It is unchecked.
 *
 * <p>Catch a subclass to act on a specific failure: {@link ClosedException}, {@link
 * TruncatedException}, {@link CorruptException}, {@link FullException}, {@link TimedOutException}
 * or {@link UnsupportedPlatformException}. An instance of this class itself reports an I/O or
 * system error; its cause carries the original {@link java.io.IOException} or the failing system
 * call. Messages use {@code key=value} pairs so they can be read by people and grepped by machines.
 */
public class MmkitException extends RuntimeException {
  @Serial private static final long serialVersionUID = 1L;

  /**
   * Creates an exception with a message.
   *
   * @param message what failed, in {@code key=value} form
   */
  public MmkitException(String message) {
    super(message);
  }

  /**
   * Creates an exception with a message and the failure that caused it.
   *
   * @param message what failed, in {@code key=value} form
   * @param cause the underlying failure
   */
  public MmkitException(String message, Throwable cause) {
    super(message, cause);
  }
}
