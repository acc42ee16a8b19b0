package dev.mmkit.core;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * AdaptiveReader reads a file through whichever access strategy is fastest for the workload at
 * hand: a memory mapping for random access, positional reads into a reused direct buffer for
 * sequential scans, and a single plain read for small files — the usual advice on when mapping
 * beats plain reads, turned into code.
 *
 * <p><b>The rule.</b>
 *
 * <ul>
 *   <li>A file of at most {@link #SMALL_FILE_BYTES} (64 KiB) is read whole, with plain reads, when
 *       the reader opens, and every call is served from that private copy ({@link
 *       Strategy#WHOLE_FILE}): mapping a small file costs more (tens of microseconds to map and
 *       unmap) than copying it.
 *   <li>Random access to a larger file ({@link #readLong}, {@link #readInt}, {@link #read}, {@link
 *       #readLongs}, {@link #view}) goes through one read-only {@link Mapping} of the whole file,
 *       made on first use and reused ({@link Strategy#MAPPING}): a read from a warm mapping is a
 *       memory access, where a positional read is a system call and a copy, several times slower.
 *   <li>Sequential scans ({@link #scan}) of a larger file use positional reads of {@link
 *       #SCAN_CHUNK_BYTES} (1 MiB) into one direct buffer ({@link Strategy#POSITIONAL_READS}): on
 *       some virtual machines reads of mapped file pages slow down many times while the process
 *       runs threads on more than one CPU, and large reads do not. When the process may use only
 *       one CPU (pinned, for example with {@code taskset -c 0}) the scan goes through the mapping,
 *       which is then faster.
 *   <li>{@link #readLongs} gathers many random reads under one fault check; use it for batches.
 *       Each {@link #readLong} pays the mapping's fault fence, a call the JIT cannot inline, which
 *       also keeps the CPU from overlapping the cache misses of consecutive reads.
 * </ul>
 *
 * <p>{@code mmkit bench io} measures every row of the rule on the machine it runs on and checks
 * this reader against the best method of each row; docs/BENCHMARKS.md has the figures and the
 * machine they came from. Some files' pages were seen to read many times slower through any mapping
 * than others' while plain reads of them stayed fast, so the rule is a default for the common case,
 * not a promise for every machine.
 *
 * <p><b>Size and truncation.</b> The reader sees the file as it was when opened: its {@link
 * #size()} is fixed then, and ranges past it are refused with {@link IndexOutOfBoundsException}. A
 * file that shrinks while the reader is open makes reads of the missing range throw {@link
 * TruncatedException}; the reader never returns bytes from a faulting page, and a small file's copy
 * is unaffected.
 *
 * <p>An AdaptiveReader is not thread-safe: it reuses one scan buffer and makes its mapping lazily.
 * Give each thread its own reader; they share the page cache.
 */
public final class AdaptiveReader implements AutoCloseable {

  /** Files of at most this many bytes (64 KiB) are read whole when the reader opens. */
  public static final long SMALL_FILE_BYTES = 64 << 10;

  /**
   * Size of the positional reads a sequential scan makes (1 MiB), and of the chunks it hands out.
   */
  public static final int SCAN_CHUNK_BYTES = 1 << 20;

  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;

  /** Whether this JVM may use only one CPU; asked once, as the JVM asks the kernel each time. */
  private static final boolean SINGLE_CPU = Runtime.getRuntime().availableProcessors() == 1;

  /** Workload is how a caller is about to read. */
  public enum Workload {
    /** Reads at scattered offsets, each small compared to the file. */
    RANDOM,
    /** One pass over a large range, in order. */
    SEQUENTIAL
  }

  /** Strategy is how the reader gets the bytes of a workload. */
  public enum Strategy {
    /** The whole file was read into private memory when the reader opened. */
    WHOLE_FILE,
    /** A read-only mapping of the whole file, made on first use. */
    MAPPING,
    /** Positional reads ({@code FileChannel.read} at an offset) into a reused direct buffer. */
    POSITIONAL_READS
  }

  private final Path path;
  private final FileChannel channel;
  private final long size;
  private final MemorySegment contents;
  private final boolean mappedScans;
  private MappedFile mappedFile;
  private Mapping mapping;
  private ByteBuffer scanBuffer;
  private MemorySegment scanMemory;
  private boolean closed;

  private AdaptiveReader(Path path, FileChannel channel, long size, MemorySegment contents) {
    this.path = path;
    this.channel = channel;
    this.size = size;
    this.contents = contents;
    this.mappedScans = SINGLE_CPU;
  }

  /**
   * Opens a file for reading. A small file is read whole now and its channel closed again.
   *
   * @throws MmkitException when the file cannot be opened or read; its cause is the {@link
   *     IOException}
   */
  public static AdaptiveReader open(Path path) {
    Objects.requireNonNull(path, "path");
    FileChannel channel;
    try {
      channel = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new MmkitException("no such file: file=" + path, e);
    } catch (IOException e) {
      throw new MmkitException("cannot open file: file=" + path, e);
    }
    try {
      long size = channel.size();
      if (size > SMALL_FILE_BYTES) {
        return new AdaptiveReader(path, channel, size, null);
      }
      byte[] bytes = readWhole(channel, path, (int) size);
      channel.close();
      return new AdaptiveReader(path, null, bytes.length, MemorySegment.ofArray(bytes));
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      if (e instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new MmkitException("cannot read file: file=" + path, e);
    }
  }

  private static byte[] readWhole(FileChannel channel, Path path, int size) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(size);
    while (buffer.hasRemaining()) {
      if (channel.read(buffer, buffer.position()) < 0) {
        break; // The file shrank since we asked its size: keep what it has now.
      }
    }
    byte[] bytes = buffer.array();
    return buffer.position() == size ? bytes : Arrays.copyOf(bytes, buffer.position());
  }

  /** Returns the path this reader was opened with. */
  public Path path() {
    return path;
  }

  /** Returns the size of the file when the reader opened it, in bytes. */
  public long size() {
    return size;
  }

  /** Returns the strategy this reader uses for {@code workload}, following the class rule. */
  public Strategy strategy(Workload workload) {
    if (contents != null) {
      return Strategy.WHOLE_FILE;
    }
    return workload == Workload.RANDOM || mappedScans
        ? Strategy.MAPPING
        : Strategy.POSITIONAL_READS;
  }

  /** Reads the long at {@code offset} in native byte order; the offset need not be aligned. */
  public long readLong(long offset) {
    checkRange(offset, Long.BYTES);
    return contents != null ? contents.get(LONG, offset) : mapping().getLong(offset);
  }

  /** Reads the int at {@code offset} in native byte order; the offset need not be aligned. */
  public int readInt(long offset) {
    checkRange(offset, Integer.BYTES);
    return contents != null ? contents.get(INT, offset) : mapping().getInt(offset);
  }

  /** Copies {@code length} bytes at {@code offset} into {@code destination}. */
  public void read(long offset, byte[] destination, int destinationIndex, int length) {
    Objects.checkFromIndexSize(destinationIndex, length, destination.length);
    checkRange(offset, length);
    if (contents != null) {
      MemorySegment.copy(
          contents, ValueLayout.JAVA_BYTE, offset, destination, destinationIndex, length);
    } else {
      mapping().read(offset, destination, destinationIndex, length);
    }
  }

  /**
   * Reads the long at each of {@code offsets} into the same index of {@code values}: a gather of
   * random reads that pays the mapping's fault check once for the whole batch instead of once per
   * read. On failure {@code values} holds unspecified contents.
   */
  public void readLongs(long[] offsets, long[] values) {
    if (values.length < offsets.length) {
      throw new IllegalArgumentException(
          "values shorter than offsets: offsets=" + offsets.length + ", values=" + values.length);
    }
    ensureOpen();
    if (contents != null) {
      gather(contents, offsets, values);
    } else {
      mapping().guard(segment -> gather(segment, offsets, values));
    }
  }

  /** Checks each offset as it goes: one pass over the offsets, not a checking pass first. */
  private Void gather(MemorySegment segment, long[] offsets, long[] values) {
    long last = size - Long.BYTES;
    for (int i = 0; i < offsets.length; i++) {
      long offset = offsets[i];
      if (offset < 0 || offset > last) {
        checkRange(offset, Long.BYTES);
      }
      values[i] = segment.get(LONG, offset);
    }
    return null;
  }

  /**
   * Runs {@code body} on a read-only view of {@code length} bytes at {@code offset} and returns its
   * result, without copying the bytes when the file is mapped. The view is valid only while {@code
   * body} runs: it must not escape. A fault on a truncated file surfaces as {@link
   * TruncatedException} and the body's result is then discarded.
   */
  public <T> T view(long offset, long length, Function<MemorySegment, T> body) {
    checkRange(offset, length);
    if (contents != null) {
      return body.apply(contents.asSlice(offset, length).asReadOnly());
    }
    return mapping().guard(segment -> body.apply(segment.asSlice(offset, length).asReadOnly()));
  }

  /** Scans the whole file in order; see {@link #scan(long, long, Consumer)}. */
  public void scan(Consumer<MemorySegment> chunks) {
    scan(0, size, chunks);
  }

  /**
   * Hands {@code length} bytes at {@code offset} to {@code chunks} in order, as read-only views of
   * at most {@link #SCAN_CHUNK_BYTES} each. Each view is valid only until the consumer returns: the
   * reader reuses the memory behind it for the next chunk.
   *
   * @throws TruncatedException when the file no longer holds the range
   */
  public void scan(long offset, long length, Consumer<MemorySegment> chunks) {
    checkRange(offset, length);
    if (length == 0) {
      return;
    }
    switch (strategy(Workload.SEQUENTIAL)) {
      case WHOLE_FILE -> chunks.accept(contents.asSlice(offset, length).asReadOnly());
      case MAPPING -> scanMapping(offset, length, chunks);
      case POSITIONAL_READS -> scanPositional(offset, length, chunks);
      default -> throw new AssertionError();
    }
  }

  private void scanMapping(long offset, long length, Consumer<MemorySegment> chunks) {
    Mapping mapped = mapping();
    for (long done = 0; done < length; done += SCAN_CHUNK_BYTES) {
      long at = offset + done;
      long n = Math.min(SCAN_CHUNK_BYTES, length - done);
      mapped.guard(
          segment -> {
            chunks.accept(segment.asSlice(at, n).asReadOnly());
            return null;
          });
    }
  }

  private void scanPositional(long offset, long length, Consumer<MemorySegment> chunks) {
    if (scanBuffer == null) {
      scanBuffer = ByteBuffer.allocateDirect(SCAN_CHUNK_BYTES);
      scanMemory = MemorySegment.ofBuffer(scanBuffer);
    }
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(SCAN_CHUNK_BYTES, length - done);
      readFully(scanBuffer, offset + done, n);
      chunks.accept(scanMemory.asSlice(0, n).asReadOnly());
      done += n;
    }
  }

  private void readFully(ByteBuffer buffer, long position, int length) {
    buffer.clear().limit(length);
    try {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, position + buffer.position()) < 0) {
          throw new TruncatedException(path, position, length, currentSize(), null);
        }
      }
    } catch (IOException e) {
      throw new MmkitException(
          "read failed: file=" + path + ", offset=" + position + ", length=" + length, e);
    }
  }

  private long currentSize() {
    try {
      return channel.size();
    } catch (IOException e) {
      return -1;
    }
  }

  private Mapping mapping() {
    ensureOpen();
    if (mapping == null) {
      mappedFile = MappedFile.open(path, MapMode.READ_ONLY);
      try {
        mapping = mappedFile.map(0, size);
      } catch (RuntimeException e) {
        mappedFile.close();
        mappedFile = null;
        throw e;
      }
    }
    return mapping;
  }

  private void checkRange(long offset, long length) {
    ensureOpen();
    if (offset < 0 || length < 0 || offset > size - length) {
      throw new IndexOutOfBoundsException(
          "range outside file: file="
              + path
              + ", offset="
              + offset
              + ", length="
              + length
              + ", size="
              + size);
    }
  }

  private void ensureOpen() {
    if (closed) {
      throw new ClosedException("reader is closed: file=" + path);
    }
  }

  /** Closes the file and unmaps it. Idempotent; later reads throw {@link ClosedException}. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (mappedFile != null) {
      mappedFile.close();
    }
    if (channel != null) {
      closeQuietly(channel);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Nothing was written through it.
    }
  }
}
