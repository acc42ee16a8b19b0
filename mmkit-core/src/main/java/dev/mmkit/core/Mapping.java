package dev.mmkit.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.zip.CRC32C;

/**
 * Mapping is a range of a file, or of anonymous memory, mapped into this process.
 *
 * <p>Typed and bulk accessors ({@link #getLong}, {@link #read}, {@link #checksum}, ...) use native
 * byte order and are safe against the two hazards of memory mapping:
 *
 * <ul>
 *   <li><b>Use after close.</b> After {@link #close()}, from any thread, they throw {@link
 *       ClosedException}.
 *   <li><b>Truncation.</b> When somebody shrinks the file under the mapping, an access past the new
 *       end throws {@link TruncatedException} naming the file, offset and sizes. The JVM reports
 *       such a fault late in compiled code, so each accessor forces pending faults to surface
 *       before it returns: a value or a copy it returns was read without a fault. Checksums are
 *       computed on a private copy, because the JVM's CRC32C crashes on a faulting page.
 * </ul>
 *
 * <p><b>Raw access.</b> {@link #segment()} returns the mapped memory itself. Reads and writes
 * through it cost nothing extra, but after truncation a faulting access surfaces as {@link
 * InternalError} at a later point of the thread (and a value read before it may be garbage), and
 * {@code MemorySegment.mismatch}, {@code CRC32C.update} or a native call on a faulting page kill
 * the JVM. Wrap raw work in {@link #guard(Function)} to get the same guarantee as the accessors for
 * a whole batch of accesses. Files that mmkit itself opens are never shrunk by mmkit while another
 * mmkit user maps them; the risk comes from other programs.
 *
 * <p><b>Hot loops.</b> Each typed accessor ends with a fault fence on file mappings: one call the
 * JIT cannot inline, which also makes it spill the caller's loop variables and re-check the view's
 * bounds and liveness on every read: a {@link #getLong} costs several times a raw {@code
 * MemorySegment} read, a few nanoseconds instead of one (docs/BENCHMARKS.md has the measured
 * figures). For loops, read the raw view inside {@link #guard(Function)} (one fence per batch, as
 * fast as raw reads) or copy with {@link #read}/{@link #copyTo} (one fence per copy). Anonymous
 * memory cannot be truncated, so its typed accessors skip the fence.
 *
 * <p>A mapping is thread-safe: any thread may read, write and close it. Writes by one thread are
 * visible to others only through the atomic accessors or other synchronization.
 */
public final class Mapping implements AutoCloseable {
  private static final NativeAccess NATIVE = NativeAccess.instance();
  private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;
  private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
  private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
  private static final int CHECKSUM_CHUNK = 64 << 10;
  private static final long RESIDENCY_CHUNK_PAGES = 1L << 18;

  private final Arena arena;
  private final MemorySegment region;
  private final MemorySegment segment;
  private final long delta;
  private final MappedFile file;
  private final long fileOffset;
  private final boolean writable;
  private final boolean privateCopy;
  private final AtomicBoolean closed = new AtomicBoolean();
  private final MappingAtomics atomics;

  Mapping(
      Arena arena,
      MemorySegment region,
      long delta,
      long size,
      MappedFile file,
      long fileOffset,
      boolean writable,
      boolean privateCopy) {
    this.arena = arena;
    this.region = region;
    this.segment = region.asSlice(delta, size);
    this.delta = delta;
    this.file = file;
    this.fileOffset = fileOffset;
    this.writable = writable;
    this.privateCopy = privateCopy;
    this.atomics = new MappingAtomics(this, segment, file != null);
  }

  /**
   * Maps {@code size} bytes of zeroed anonymous memory, private to this process unless {@link
   * AnonymousOption#SHARED} is given. The memory is returned to the system on {@link #close()}.
   *
   * @throws FullException when the system has no memory or address space left
   * @throws UnsupportedPlatformException when {@link AnonymousOption#HUGE_PAGES} is asked for and
   *     the system has no huge pages for this kind of memory; the message names the setting
   */
  public static Mapping anonymous(long size, AnonymousOption... options) {
    if (size <= 0) {
      throw new IllegalArgumentException("size must be positive: size=" + size);
    }
    boolean shared = Arrays.asList(options).contains(AnonymousOption.SHARED);
    boolean huge = Arrays.asList(options).contains(AnonymousOption.HUGE_PAGES);
    Arena arena = Arena.ofShared();
    try {
      MemorySegment memory = NATIVE.mapAnonymous(size, shared, huge, arena);
      return new Mapping(arena, memory, 0, size, null, 0, true, !shared);
    } catch (RuntimeException | Error e) {
      arena.close();
      throw e;
    }
  }

  /**
   * Returns the mapped memory itself. The view is valid until this mapping is closed; any access
   * after that throws {@link IllegalStateException}. See the class comment for what raw access can
   * expect when the file is truncated.
   */
  public MemorySegment segment() {
    return segment;
  }

  /** Returns the number of bytes mapped. */
  public long size() {
    return segment.byteSize();
  }

  /** Returns the mapped file, or empty for anonymous memory. */
  public Optional<Path> file() {
    return file == null ? Optional.empty() : Optional.of(file.path());
  }

  /** Returns the file offset of byte 0 of this mapping (0 for anonymous memory). */
  public long fileOffset() {
    return fileOffset;
  }

  /** Returns whether writes are allowed. */
  public boolean isWritable() {
    return writable;
  }

  /** Returns whether {@link #close()} has been called. */
  public boolean isClosed() {
    return closed.get();
  }

  /**
   * Returns the atomic accessors over this mapping, for words shared between threads or processes.
   */
  public MappingAtomics atomics() {
    return atomics;
  }

  /** Reads the byte at {@code offset}. */
  public byte getByte(long offset) {
    try {
      byte value = segment.get(BYTE, offset);
      surfaceFaults();
      return value;
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, 1);
    }
  }

  /** Writes the byte at {@code offset}. */
  public void putByte(long offset, byte value) {
    try {
      segment.set(BYTE, offset, value);
      surfaceFaults();
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, 1);
    }
  }

  /** Reads the int at {@code offset}, which need not be aligned. */
  public int getInt(long offset) {
    try {
      int value = segment.get(INT, offset);
      surfaceFaults();
      return value;
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, 4);
    }
  }

  /** Writes the int at {@code offset}, which need not be aligned. */
  public void putInt(long offset, int value) {
    try {
      segment.set(INT, offset, value);
      surfaceFaults();
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, 4);
    }
  }

  /** Reads the long at {@code offset}, which need not be aligned. */
  public long getLong(long offset) {
    try {
      long value = segment.get(LONG, offset);
      surfaceFaults();
      return value;
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, 8);
    }
  }

  /** Writes the long at {@code offset}, which need not be aligned. */
  public void putLong(long offset, long value) {
    try {
      segment.set(LONG, offset, value);
      surfaceFaults();
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, 8);
    }
  }

  /**
   * Copies {@code length} bytes at {@code offset} into {@code destination}. On failure the
   * destination holds unspecified bytes.
   */
  public void read(long offset, byte[] destination, int destinationIndex, int length) {
    try {
      MemorySegment.copy(segment, BYTE, offset, destination, destinationIndex, length);
      surfaceFaults();
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, length);
    }
  }

  /** Copies {@code length} bytes of {@code source} into the mapping at {@code offset}. */
  public void write(long offset, byte[] source, int sourceIndex, int length) {
    try {
      MemorySegment.copy(source, sourceIndex, segment, BYTE, offset, length);
      surfaceFaults();
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, length);
    }
  }

  /** Copies {@code length} bytes at {@code offset} into another segment. */
  public void copyTo(long offset, MemorySegment destination, long destinationOffset, long length) {
    try {
      MemorySegment.copy(segment, offset, destination, destinationOffset, length);
      surfaceFaults();
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, length);
    }
  }

  /** Copies {@code length} bytes from another segment into the mapping at {@code offset}. */
  public void copyFrom(MemorySegment source, long sourceOffset, long offset, long length) {
    try {
      MemorySegment.copy(source, sourceOffset, segment, offset, length);
      surfaceFaults();
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, length);
    }
  }

  /** Sets {@code length} bytes at {@code offset} to {@code value}. */
  public void fill(long offset, long length, byte value) {
    try {
      segment.asSlice(offset, length).fill(value);
      surfaceFaults();
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, length);
    }
  }

  /**
   * Returns the CRC32C of {@code length} bytes at {@code offset}. The bytes are copied in chunks
   * into private memory first, so a concurrent truncation fails the call instead of the JVM.
   */
  public int checksum(long offset, long length) {
    CRC32C crc = new CRC32C();
    byte[] chunk = new byte[(int) Math.min(CHECKSUM_CHUNK, Math.max(length, 0))];
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(chunk.length, length - done);
      read(offset + done, chunk, 0, n);
      crc.update(chunk, 0, n);
      done += n;
    }
    return (int) crc.getValue();
  }

  /**
   * Runs {@code body} on the raw view and returns its result, turning faults into the exceptions
   * the typed accessors throw: {@link TruncatedException} when the file was shrunk under any access
   * the body made, {@link ClosedException} after close. The result is only returned when no access
   * faulted. The view must not escape the body.
   *
   * <p>This is the way to read a mapping in a hot loop: the body's raw accesses compile to the same
   * code as raw {@code MemorySegment} access, and the whole batch pays one fault fence (about one
   * method call) at the end. Typed accessors pay that fence on every call.
   */
  public <T> T guard(Function<MemorySegment, T> body) {
    try {
      // One fence call that takes the result and hands it back, with no branch around it (even on
      // anonymous memory, where it is not needed): any other shape (the result held across the
      // call, an `if` around it) made C2 keep the body's loop accumulator in a stack slot once
      // the body was inlined, several times slower than the same loop without guard.
      return FaultFence.surface(body.apply(segment));
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, 0, size());
    }
  }

  /** Writes the whole mapping back to its file and waits for the disk. */
  public void sync() {
    sync(0, size(), SyncMode.SYNC);
  }

  /**
   * Writes the dirty pages of a range back to the file ({@code msync}). {@link SyncMode#SYNC}
   * returns when they are on stable storage. Does nothing for anonymous or private mappings, whose
   * writes never reach a file.
   */
  public void sync(long offset, long length, SyncMode mode) {
    MemorySegment range = pages(offset, length);
    if (file == null || privateCopy || !writable) {
      return;
    }
    try {
      NATIVE.sync(range, mode == SyncMode.ASYNC);
    } catch (IllegalStateException e) {
      throw failure(e, offset, length);
    }
  }

  /**
   * Gives the kernel advice about how a range will be used. {@link Advice#DONT_NEED} is refused on
   * private and anonymous mappings, where it would discard their contents. Does nothing without
   * {@link Feature#ADVICE}.
   */
  public void advise(long offset, long length, Advice advice) {
    if (advice == Advice.DONT_NEED && (privateCopy || file == null)) {
      throw new IllegalArgumentException(
          "DONT_NEED would discard the contents of a private or anonymous mapping; use evict");
    }
    MemorySegment range = pages(offset, length);
    try {
      NATIVE.advise(range, advice);
    } catch (IllegalStateException e) {
      throw failure(e, offset, length);
    }
  }

  /** Returns which pages of the whole mapping are resident now. */
  public Residency residency() {
    return residency(0, size());
  }

  /**
   * Returns which pages of a range are resident now ({@code mincore}). Page 0 of the snapshot is
   * the page holding {@code offset}. For a file this is page-cache residency: a page another
   * process loaded counts as resident here too.
   */
  public Residency residency(long offset, long length) {
    MemorySegment range = pages(offset, length);
    long pageSize = NATIVE.pageSize();
    long pages = (range.byteSize() + pageSize - 1) / pageSize;
    if (pages > Integer.MAX_VALUE) {
      throw new IllegalArgumentException("range too large for one snapshot: pages=" + pages);
    }
    if (!Platform.isLive(Feature.RESIDENCY)) {
      return Residency.unknown(pageSize, pages);
    }
    BitSet resident = new BitSet((int) pages);
    try {
      for (long page = 0; page < pages; page += RESIDENCY_CHUNK_PAGES) {
        long count = Math.min(RESIDENCY_CHUNK_PAGES, pages - page);
        long bytes = Math.min(count * pageSize, range.byteSize() - page * pageSize);
        byte[] vector = NATIVE.residency(range.asSlice(page * pageSize, bytes));
        for (int i = 0; i < vector.length; i++) {
          if ((vector[i] & 1) != 0) {
            resident.set((int) (page + i));
          }
        }
      }
    } catch (IllegalStateException e) {
      throw failure(e, offset, length);
    }
    return Residency.known(pageSize, pages, resident);
  }

  /**
   * Loads every page of a range into memory now, so later accesses do not fault. Uses {@code
   * MADV_POPULATE_READ} where the kernel has it (an order of magnitude faster than touching each
   * page).
   *
   * @throws TruncatedException when the file no longer covers the range
   */
  public void touch(long offset, long length) {
    MemorySegment range = pages(offset, length);
    NativeAccess.Populated populated;
    try {
      populated = NATIVE.populate(range);
    } catch (IllegalStateException e) {
      throw failure(e, offset, length);
    }
    switch (populated) {
      case DONE -> {}
      case FAULTED -> throw truncated(offset, length, null);
      case UNSUPPORTED -> touchEachPage(range, offset, length);
      default -> throw new AssertionError(populated);
    }
  }

  private void touchEachPage(MemorySegment range, long offset, long length) {
    long pageSize = NATIVE.pageSize();
    try {
      long sum = 0;
      for (long at = 0; at < range.byteSize(); at += pageSize) {
        sum += range.get(BYTE, at);
      }
      surfaceFaults();
      if (sum == Long.MIN_VALUE) {
        throw new AssertionError("unreachable: keeps the reads alive");
      }
    } catch (InternalError | IllegalStateException e) {
      throw failure(e, offset, length);
    }
  }

  /**
   * Drops the pages of a range from memory. A file's dirty pages are written back first, then its
   * pages leave this mapping and the page cache; later reads load them again from disk. Private and
   * anonymous pages keep their contents and leave memory only if the system can page them out (to
   * swap).
   */
  public void evict(long offset, long length) {
    MemorySegment range = pages(offset, length);
    try {
      if (file != null && writable && !privateCopy) {
        NATIVE.sync(range, false);
      }
      NATIVE.release(range, privateCopy || file == null);
    } catch (IllegalStateException e) {
      throw failure(e, offset, length);
    }
    if (file != null) {
      long start = fileOffset + offset;
      file.dropCache(start, length);
    }
  }

  /**
   * Locks the pages of a range in RAM ({@code mlock}) until {@link #unlock} or {@link #close()}.
   *
   * @throws FullException when the system refuses, typically because of {@code RLIMIT_MEMLOCK}
   * @throws UnsupportedPlatformException without {@link Feature#MEMORY_LOCK}
   */
  public void lock(long offset, long length) {
    MemorySegment range = pages(offset, length);
    try {
      NATIVE.lock(range);
    } catch (IllegalStateException e) {
      throw failure(e, offset, length);
    }
  }

  /** Unlocks the pages of a range locked with {@link #lock}. */
  public void unlock(long offset, long length) {
    MemorySegment range = pages(offset, length);
    try {
      NATIVE.unlock(range);
    } catch (IllegalStateException e) {
      throw failure(e, offset, length);
    }
  }

  /**
   * Unmaps the memory. Idempotent and thread-safe; afterwards every accessor throws {@link
   * ClosedException} and the raw view throws {@link IllegalStateException}. Waits for a native call
   * on this mapping that is under way in another thread to return.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      // Another thread is closing it: return only once it is unmapped, as the contract says.
      while (arena.scope().isAlive()) {
        Thread.onSpinWait();
      }
      return;
    }
    while (true) {
      try {
        arena.close();
        break;
      } catch (IllegalStateException acquiredByANativeCall) {
        Thread.onSpinWait();
      }
    }
    if (file != null) {
      file.forget(this);
    }
  }

  @Override
  public String toString() {
    return "Mapping[file="
        + (file == null ? "anonymous" : file.path())
        + ", offset="
        + fileOffset
        + ", size="
        + size()
        + (closed.get() ? ", closed" : "")
        + "]";
  }

  /**
   * Returns the page-aligned slice of the underlying region that covers a range, after checking
   * that the file still covers it: system calls on a truncated range do not fault, so without this
   * check they would silently act on nothing.
   */
  private MemorySegment pages(long offset, long length) {
    MemorySegment range = alignedRange(offset, length);
    if (file != null) {
      long fileSize = file.sizeOrUnknown();
      if (fileSize >= 0 && fileOffset + offset + length > fileSize) {
        throw truncated(offset, length, null);
      }
    }
    return range;
  }

  private MemorySegment alignedRange(long offset, long length) {
    if (closed.get()) {
      throw closedException();
    }
    if (offset < 0 || length < 0 || offset > size() - length) {
      throw new IndexOutOfBoundsException(
          "range outside mapping: offset=" + offset + ", length=" + length + ", size=" + size());
    }
    long pageSize = NATIVE.pageSize();
    long start = (delta + offset) & -pageSize;
    return region.asSlice(start, delta + offset + length - start);
  }

  /**
   * Surfaces, as {@link TruncatedException}, a fault that raw access to {@link #segment()} on this
   * thread left pending; does nothing when none is. (Interpreted code may instead see the fault at
   * the access itself, as {@link InternalError}: catch it around the batch, or use {@link #guard},
   * which handles both.) Call it after a batch of raw reads and before trusting their results: a
   * value read from a page the file no longer backs is garbage until this call has passed. Costs
   * about one method call on file mappings (a call the JIT never inlines, whose return delivers the
   * fault) and nothing on anonymous memory. {@link #guard} does the same around a lambda.
   *
   * @throws TruncatedException when a raw access of this thread faulted; the range reported is the
   *     whole mapping, because the faulting address is not known
   */
  public void fence() {
    try {
      surfaceFaults();
    } catch (InternalError e) {
      throw failure(e, 0, size());
    }
  }

  /** Makes a pending fault of this thread surface as the JVM's {@link InternalError}. */
  void surfaceFaults() {
    if (file != null) {
      FaultFence.surface();
    }
  }

  RuntimeException failure(Throwable e, long offset, long length) {
    if (e instanceof IllegalStateException && closed.get()) {
      return closedException();
    }
    if (e instanceof InternalError && file != null) {
      return truncated(offset, length, e);
    }
    if (e instanceof RuntimeException runtime) {
      return runtime;
    }
    throw (Error) e;
  }

  private TruncatedException truncated(long offset, long length, Throwable cause) {
    return new TruncatedException(
        file.path(), fileOffset + offset, length, file.sizeOrUnknown(), cause);
  }

  private ClosedException closedException() {
    return new ClosedException("mapping is closed: " + this);
  }
}
