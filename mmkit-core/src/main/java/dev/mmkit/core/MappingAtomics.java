package dev.mmkit.core;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;

/**
 * MappingAtomics performs atomic operations on aligned 4- and 8-byte words of a {@link Mapping}. On
 * a shared mapping they are atomic across processes too: two JVMs doing {@code getAndAddLong} on
 * the same word of a {@link SharedMemory} never lose an update.
 *
 * <p>Offsets must be aligned to the word size ({@link IllegalArgumentException} otherwise). The
 * same failure rules as {@link Mapping}'s accessors apply: {@link ClosedException} after close and
 * {@link TruncatedException} when the file no longer covers the word.
 *
 * <p><b>A limit the JVM sets.</b> While the calling code is still interpreted, HotSpot performs a
 * compare-and-set in VM code that its fault handler does not cover: on a page the file no longer
 * backs, that kills the JVM (JIT-compiled code is covered and fails cleanly). Compare-and-set on a
 * file mapping therefore reads the word first, which fails cleanly on a page already gone, so only
 * a truncation racing with the operation itself stays dangerous. mmkit never shrinks a file another
 * mmkit user maps; keep atomics in files that other programs do not shrink.
 */
public final class MappingAtomics {
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
  private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();

  private final Mapping mapping;
  private final MemorySegment segment;
  private final boolean fileBacked;

  MappingAtomics(Mapping mapping, MemorySegment segment, boolean fileBacked) {
    this.mapping = mapping;
    this.segment = segment;
    this.fileBacked = fileBacked;
  }

  /** Reads the long at {@code offset} with acquire semantics. */
  public long getLongAcquire(long offset) {
    aligned(offset, 8);
    try {
      long value = (long) LONG.getAcquire(segment, offset);
      mapping.surfaceFaults();
      return value;
    } catch (InternalError | IllegalStateException e) {
      throw mapping.failure(e, offset, 8);
    }
  }

  /** Reads the long at {@code offset} with volatile semantics. */
  public long getLongVolatile(long offset) {
    aligned(offset, 8);
    try {
      long value = (long) LONG.getVolatile(segment, offset);
      mapping.surfaceFaults();
      return value;
    } catch (InternalError | IllegalStateException e) {
      throw mapping.failure(e, offset, 8);
    }
  }

  /** Writes the long at {@code offset} with release semantics. */
  public void setLongRelease(long offset, long value) {
    aligned(offset, 8);
    try {
      LONG.setRelease(segment, offset, value);
      mapping.surfaceFaults();
    } catch (InternalError | IllegalStateException e) {
      throw mapping.failure(e, offset, 8);
    }
  }

  /** Writes the long at {@code offset} with volatile semantics. */
  public void setLongVolatile(long offset, long value) {
    aligned(offset, 8);
    try {
      LONG.setVolatile(segment, offset, value);
      mapping.surfaceFaults();
    } catch (InternalError | IllegalStateException e) {
      throw mapping.failure(e, offset, 8);
    }
  }

  /** Sets the long at {@code offset} to {@code update} if it holds {@code expected}. */
  public boolean compareAndSetLong(long offset, long expected, long update) {
    aligned(offset, 8);
    try {
      if (fileBacked) {
        long probed = (long) LONG.getVolatile(segment, offset); // exact type: no adaptation
      }
      boolean set = LONG.compareAndSet(segment, offset, expected, update);
      mapping.surfaceFaults();
      return set;
    } catch (InternalError | IllegalStateException e) {
      throw mapping.failure(e, offset, 8);
    }
  }

  /** Adds {@code delta} to the long at {@code offset} and returns the previous value. */
  public long getAndAddLong(long offset, long delta) {
    aligned(offset, 8);
    try {
      long previous = (long) LONG.getAndAdd(segment, offset, delta);
      mapping.surfaceFaults();
      return previous;
    } catch (InternalError | IllegalStateException e) {
      throw mapping.failure(e, offset, 8);
    }
  }

  /** Reads the int at {@code offset} with acquire semantics. */
  public int getIntAcquire(long offset) {
    aligned(offset, 4);
    try {
      int value = (int) INT.getAcquire(segment, offset);
      mapping.surfaceFaults();
      return value;
    } catch (InternalError | IllegalStateException e) {
      throw mapping.failure(e, offset, 4);
    }
  }

  /** Writes the int at {@code offset} with release semantics. */
  public void setIntRelease(long offset, int value) {
    aligned(offset, 4);
    try {
      INT.setRelease(segment, offset, value);
      mapping.surfaceFaults();
    } catch (InternalError | IllegalStateException e) {
      throw mapping.failure(e, offset, 4);
    }
  }

  /** Sets the int at {@code offset} to {@code update} if it holds {@code expected}. */
  public boolean compareAndSetInt(long offset, int expected, int update) {
    aligned(offset, 4);
    try {
      if (fileBacked) {
        int probed = (int) INT.getVolatile(segment, offset); // exact type: no adaptation
      }
      boolean set = INT.compareAndSet(segment, offset, expected, update);
      mapping.surfaceFaults();
      return set;
    } catch (InternalError | IllegalStateException e) {
      throw mapping.failure(e, offset, 4);
    }
  }

  /** Adds {@code delta} to the int at {@code offset} and returns the previous value. */
  public int getAndAddInt(long offset, int delta) {
    aligned(offset, 4);
    try {
      int previous = (int) INT.getAndAdd(segment, offset, delta);
      mapping.surfaceFaults();
      return previous;
    } catch (InternalError | IllegalStateException e) {
      throw mapping.failure(e, offset, 4);
    }
  }

  private void aligned(long offset, int size) {
    if (((segment.address() + offset) & (size - 1)) != 0) {
      throw new IllegalArgumentException(
          "atomic access must be aligned: offset=" + offset + ", alignment=" + size);
    }
  }
}
