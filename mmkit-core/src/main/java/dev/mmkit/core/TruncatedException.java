package dev.mmkit.core;

import java.io.Serial;
import java.nio.file.Path;

/**
 * TruncatedException reports that a mapped file is shorter than the range an operation touched:
 * somebody shrank the file under its mapping, or a header promised more bytes than the file has.
 *
 * <p>The operation that throws it returned no bytes read from the faulting range; a destination
 * buffer it was filling holds unspecified contents. The mapping itself stays usable for ranges that
 * still lie inside the file.
 *
 * <p>Each one is also recorded as the JDK Flight Recorder event {@code mmkit.core.TruncationFault}
 * when a recording has it enabled, so that an operator sees faults the caller caught.
 */
public class TruncatedException extends MmkitException {
  @Serial private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final long offset;
  private final long length;
  private final long fileSize;

  /**
   * Creates the exception for a range of a file.
   *
   * @param file the file that is too short, or {@code null} when unknown
   * @param offset the file offset of the first byte the operation touched
   * @param length the number of bytes the operation touched
   * @param fileSize the size of the file when the failure was seen, or -1 when unknown
   * @param cause the fault raised by the JVM, or {@code null}
   */
  public TruncatedException(Path file, long offset, long length, long fileSize, Throwable cause) {
    super(
        "file shorter than the range accessed: file="
            + file
            + ", offset="
            + offset
            + ", length="
            + length
            + ", fileSize="
            + fileSize,
        cause);
    this.file = file;
    this.offset = offset;
    this.length = length;
    this.fileSize = fileSize;
    TruncationFaultEvent.record(file, offset, length, fileSize);
  }

  /** Returns the file that is too short, or {@code null} when unknown. */
  public Path file() {
    return file;
  }

  /** Returns the file offset of the first byte the failed operation touched. */
  public long offset() {
    return offset;
  }

  /** Returns the number of bytes the failed operation touched. */
  public long length() {
    return length;
  }

  /** Returns the size of the file when the failure was seen, or -1 when unknown. */
  public long fileSize() {
    return fileSize;
  }
}
