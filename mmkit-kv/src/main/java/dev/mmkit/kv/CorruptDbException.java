package dev.mmkit.kv;

import dev.mmkit.core.CorruptException;
import java.io.Serial;

/**
 * CorruptDbException reports a database file that failed validation: a bad checksum, magic number,
 * version, page type, level or length, a page id out of range, a cycle, or a file shorter than its
 * meta page says. The message names the file and the page; nothing read from the bad page was
 * returned to the caller.
 *
 * <p>The database may still serve other pages; {@link Db#check()} lists its problems, and {@link
 * Db#compactTo} can copy out what is still readable.
 */
public class CorruptDbException extends CorruptException {
  @Serial private static final long serialVersionUID = 1L;

  private final long pageId;

  /**
   * Creates the exception.
   *
   * @param pageId the page that failed validation, or -1 when no single page is at fault
   * @param message what failed, in {@code key=value} form
   */
  public CorruptDbException(long pageId, String message) {
    super(message);
    this.pageId = pageId;
  }

  /**
   * Creates the exception with a cause.
   *
   * @param pageId the page that failed validation, or -1 when no single page is at fault
   * @param message what failed, in {@code key=value} form
   * @param cause the underlying failure
   */
  public CorruptDbException(long pageId, String message, Throwable cause) {
    super(message, cause);
    this.pageId = pageId;
  }

  /** Returns the page that failed validation, or -1 when no single page is at fault. */
  public long pageId() {
    return pageId;
  }
}
