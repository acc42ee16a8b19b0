package dev.mmkit.core;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * FallbackNativeAccess is used when native access is disabled or the platform has no binding. Every
 * feature degrades as {@link Feature} documents: advice does nothing, residency is unknown, sync is
 * {@code force()}, a futex wait polls, and locking memory is unsupported. Nothing here can crash
 * the JVM.
 */
final class FallbackNativeAccess implements NativeAccess {
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
  private static final long MAX_POLL_PAUSE_NANOS = 1_000_000L;

  private final String reason;
  private final long pageSize;

  FallbackNativeAccess(String reason) {
    this.reason = reason;
    String arch = System.getProperty("os.arch", "");
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    this.pageSize = os.contains("mac") && arch.equals("aarch64") ? 16384 : 4096;
  }

  /** Creates the fallback and logs, once, how to enable native access. */
  static FallbackNativeAccess withHint(String reason) {
    System.getLogger("dev.mmkit.core").log(Level.WARNING, "mmkit: " + reason);
    return new FallbackNativeAccess(reason);
  }

  @Override
  public Set<Feature> features() {
    return Set.of();
  }

  @Override
  public String unavailableReason() {
    return reason;
  }

  @Override
  public long pageSize() {
    return pageSize;
  }

  @Override
  public MemorySegment mapAnonymous(long size, boolean shared, boolean hugePages, Arena arena) {
    if (hugePages) {
      throw new UnsupportedPlatformException("huge pages need native access: " + reason);
    }
    return arena.allocate(size, pageSize);
  }

  @Override
  public void sync(MemorySegment range, boolean async) {
    if (range.isMapped()) {
      range.force();
    }
  }

  @Override
  public void advise(MemorySegment range, Advice advice) {
    // Advice is a hint; without madvise there is nobody to give it to.
  }

  @Override
  public byte[] residency(MemorySegment range) {
    return null;
  }

  @Override
  public Populated populate(MemorySegment range) {
    return Populated.UNSUPPORTED;
  }

  @Override
  public void release(MemorySegment range, boolean privateMapping) {
    // Without madvise, pages leave memory only when the kernel reclaims them.
  }

  @Override
  public void lock(MemorySegment range) {
    throw new UnsupportedPlatformException("locking memory needs native access: " + reason);
  }

  @Override
  public void unlock(MemorySegment range) {
    throw new UnsupportedPlatformException("unlocking memory needs native access: " + reason);
  }

  @Override
  public FileHandle openFile(Path path, FileChannel channel, boolean writable) {
    return new FallbackFileHandle(path, channel);
  }

  @Override
  public boolean futexWait(MemorySegment word, int expected, long timeoutNanos) {
    return pollWait(word, expected, timeoutNanos);
  }

  /**
   * Waits by polling while {@code word} holds {@code expected}, pausing longer each time up to a
   * millisecond. Returns true when the value changed, false on timeout.
   */
  static boolean pollWait(MemorySegment word, int expected, long timeoutNanos) {
    long deadline = System.nanoTime() + timeoutNanos;
    long pause = 1_000;
    while ((int) INT.getVolatile(word, 0L) == expected) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      LockSupport.parkNanos(Math.min(pause, left));
      pause = Math.min(pause * 2, MAX_POLL_PAUSE_NANOS);
    }
    return true;
  }

  @Override
  public int futexWake(MemorySegment word, int count) {
    return 0;
  }

  @Override
  public void surfacePendingFault() {
    // A JNI native method: returning from it delivers a pending fault to this thread.
    long ignored = Runtime.getRuntime().freeMemory();
  }
}
