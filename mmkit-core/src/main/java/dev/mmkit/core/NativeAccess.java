package dev.mmkit.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Set;

/**
 * NativeAccess is the only door to the operating system. {@link PosixNativeAccess} binds libc
 * through the FFM {@code Linker}; {@link FallbackNativeAccess} degrades every feature when native
 * access is disabled or the platform is not supported. Ranges passed in are page-aligned slices of
 * live mappings; callers align them.
 */
interface NativeAccess {

  /** Name of the system property that, set to {@code false}, forces the fallback. */
  String NATIVE_PROPERTY = "dev.mmkit.nativeAccess";

  /** Returns the implementation for this JVM, chosen once. */
  static NativeAccess instance() {
    return NativeAccessHolder.INSTANCE;
  }

  /** Returns the features that work. */
  Set<Feature> features();

  /** Returns why native features are off, or {@code null} when they are on. */
  String unavailableReason();

  /** Returns the size of a virtual memory page in bytes. */
  long pageSize();

  /** Maps {@code size} bytes of zeroed anonymous memory whose lifetime is {@code arena}'s. */
  MemorySegment mapAnonymous(long size, boolean shared, boolean hugePages, Arena arena);

  /** Writes the dirty pages of {@code range} back to the file. */
  void sync(MemorySegment range, boolean async);

  /** Gives the kernel advice about {@code range}. */
  void advise(MemorySegment range, Advice advice);

  /**
   * Returns one byte per page of {@code range}, bit 0 set when the page is resident, or {@code
   * null} when residency cannot be known.
   */
  byte[] residency(MemorySegment range);

  /** Outcome of {@link #populate}. */
  enum Populated {
    /** Every page was faulted in. */
    DONE,
    /** The platform cannot do it in one call; the caller touches the pages itself. */
    UNSUPPORTED,
    /** A page could not be faulted in: the file no longer covers it. */
    FAULTED
  }

  /** Faults every page of {@code range} in for reading. */
  Populated populate(MemorySegment range);

  /** Drops the pages of {@code range} from this mapping; the contents of a shared one are kept. */
  void release(MemorySegment range, boolean privateMapping);

  /** Locks {@code range} in RAM. */
  void lock(MemorySegment range);

  /** Unlocks {@code range}. */
  void unlock(MemorySegment range);

  /** Opens the handle used for file locks, allocation and cache control of {@code path}. */
  FileHandle openFile(Path path, FileChannel channel, boolean writable);

  /**
   * Waits while the 32-bit word at {@code word} holds {@code expected}, at most {@code
   * timeoutNanos}. Returns true when woken or when the value differed, false on timeout; either way
   * the caller rechecks its condition.
   */
  boolean futexWait(MemorySegment word, int expected, long timeoutNanos);

  /** Wakes up to {@code count} waiters on {@code word}; returns how many were woken. */
  int futexWake(MemorySegment word, int count);

  /**
   * Makes a fault left pending by an earlier memory access on this thread surface now as an {@link
   * InternalError}. HotSpot delivers such faults when a thread crosses into native code; a trivial
   * call does that.
   */
  void surfacePendingFault();
}
