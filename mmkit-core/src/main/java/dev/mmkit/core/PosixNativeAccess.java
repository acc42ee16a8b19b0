package dev.mmkit.core;

import static dev.mmkit.core.PosixConstants.MADV_DONTNEED;
import static dev.mmkit.core.PosixConstants.PROT_READ;
import static dev.mmkit.core.PosixConstants.PROT_WRITE;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * PosixNativeAccess implements {@link NativeAccess} with libc calls bound through the FFM {@code
 * Linker}: {@code mmap}, {@code msync}, {@code madvise}, {@code mincore}, {@code mlock}, {@code
 * flock}, {@code fallocate}, {@code posix_fadvise} and the {@code futex} system call. System calls
 * never raise SIGBUS: a range the file no longer covers yields an error code, not a crash.
 */
@SuppressWarnings("restricted")
final class PosixNativeAccess implements NativeAccess {
  private static final long HUGE_PAGE = 2L << 20;
  private static final long WILL_NEED_CHUNK = 128L << 10;
  private static final int ENOMEM = 12;
  private static final int EFAULT = 14;
  private static final int EINVAL = 22;

  private final PosixConstants os;
  private final long pageSize;
  private final Set<Feature> features;

  PosixNativeAccess(PosixConstants os) {
    this.os = os;
    this.pageSize = sysconf(os.scPageSize());
    this.features = EnumSet.of(Feature.ADVICE, Feature.RESIDENCY, Feature.RANGE_SYNC);
    features.add(Feature.MEMORY_LOCK);
    features.add(Feature.ANONYMOUS_MMAP);
    features.add(Feature.FILE_LOCK);
    if (os.sysFutex() > 0 && Libc.SYSCALL_FUTEX != null) {
      features.add(Feature.FUTEX);
    }
    if (os.hasFallocate() && Libc.FALLOCATE != null) {
      features.add(Feature.FILE_ALLOCATE);
    }
    if (os.fadvDontNeed() >= 0 && Libc.POSIX_FADVISE != null) {
      features.add(Feature.PAGE_CACHE_DROP);
    }
    surfacePendingFault();
  }

  @Override
  public Set<Feature> features() {
    return Set.copyOf(features);
  }

  @Override
  public String unavailableReason() {
    return null;
  }

  @Override
  public long pageSize() {
    return pageSize;
  }

  @Override
  public MemorySegment mapAnonymous(long size, boolean shared, boolean hugePages, Arena arena) {
    int sharing = (shared ? os.mapShared() : os.mapPrivate()) | os.mapAnonymous();
    if (hugePages) {
      return mapHuge(size, shared, sharing, arena);
    }
    long length = (size + pageSize - 1) & -pageSize;
    MemorySegment region = mmap(length, sharing);
    if (region == null) {
      throw noMemory(size);
    }
    return own(region.address(), size, length, arena);
  }

  /**
   * Maps anonymous memory backed by huge pages: reserved ones ({@code MAP_HUGETLB}) when the system
   * has them free, otherwise transparent ones asked for with {@code madvise}, on a range that
   * starts on a huge-page boundary (the kernel only uses a huge page for a whole aligned block).
   */
  private MemorySegment mapHuge(long size, boolean shared, int sharing, Arena arena) {
    long hugeLength = (size + HUGE_PAGE - 1) & -HUGE_PAGE;
    if (os.mapHugeTlb() > 0) {
      MemorySegment huge = mmap(hugeLength, sharing | os.mapHugeTlb());
      if (huge != null) {
        return own(huge.address(), size, hugeLength, arena);
      }
    }
    String refusal =
        os.madvHugePage() < 0
            ? "no transparent huge pages on this platform"
            : TransparentHugePages.refusal(shared).orElse(null);
    if (refusal != null) {
      throw new UnsupportedPlatformException(
          "huge pages unavailable: size="
              + size
              + ", shared="
              + shared
              + ", reserved=none free (MAP_HUGETLB failed), "
              + refusal);
    }
    long length = (size + pageSize - 1) & -pageSize;
    MemorySegment region = mmap(length + HUGE_PAGE, sharing);
    if (region == null) {
      throw noMemory(size);
    }
    long start = (region.address() + HUGE_PAGE - 1) & -HUGE_PAGE;
    long end = region.address() + length + HUGE_PAGE;
    if (start > region.address()) {
      munmap(region.address(), start - region.address());
    }
    if (end > start + length) {
      munmap(start + length, end - start - length);
    }
    MemorySegment owned = own(start, size, length, arena);
    madvise(owned, os.madvHugePage());
    return owned;
  }

  private static FullException noMemory(long size) {
    return new FullException(
        "mmap of anonymous memory failed: size=" + size + ", error=" + Libc.describe(ENOMEM));
  }

  private MemorySegment mmap(long length, int flags) {
    try {
      MemorySegment state = Libc.errnoState();
      MemorySegment address =
          (MemorySegment)
              Libc.MMAP.invokeExact(
                  state, MemorySegment.NULL, length, PROT_READ | PROT_WRITE, flags, -1, 0L);
      return address.address() == -1L ? null : address;
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private static MemorySegment own(long base, long size, long length, Arena arena) {
    return MemorySegment.ofAddress(base).reinterpret(size, arena, ignored -> munmap(base, length));
  }

  private static void munmap(long base, long length) {
    try {
      int ignored =
          (int) Libc.MUNMAP.invokeExact(Libc.errnoState(), MemorySegment.ofAddress(base), length);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public void sync(MemorySegment range, boolean async) {
    int flags = async ? os.msAsync() : os.msSync();
    try {
      MemorySegment state = Libc.errnoState();
      int rc = (int) Libc.MSYNC.invokeExact(state, range, range.byteSize(), flags);
      check(rc, state, "msync", range);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public void advise(MemorySegment range, Advice advice) {
    int code =
        switch (advice) {
          case NORMAL -> PosixConstants.MADV_NORMAL;
          case RANDOM -> PosixConstants.MADV_RANDOM;
          case SEQUENTIAL -> PosixConstants.MADV_SEQUENTIAL;
          case WILL_NEED -> PosixConstants.MADV_WILLNEED;
          case DONT_NEED -> MADV_DONTNEED;
          case HUGE_PAGES -> os.madvHugePage();
          case NO_HUGE_PAGES -> os.madvNoHugePage();
        };
    if (code < 0) {
      return;
    }
    if (advice == Advice.WILL_NEED) {
      for (long at = 0; at < range.byteSize(); at += WILL_NEED_CHUNK) {
        madvise(range.asSlice(at, Math.min(WILL_NEED_CHUNK, range.byteSize() - at)), code);
      }
    } else {
      madvise(range, code);
    }
  }

  private void madvise(MemorySegment range, int code) {
    int errno = madviseErrno(range, code);
    if (errno != 0) {
      throw new MmkitException(
          "madvise failed: advice="
              + code
              + ", address="
              + range.address()
              + ", length="
              + range.byteSize()
              + ", error="
              + Libc.describe(errno));
    }
  }

  private static int madviseErrno(MemorySegment range, int code) {
    try {
      MemorySegment state = Libc.errnoState();
      int rc = (int) Libc.MADVISE.invokeExact(state, range, range.byteSize(), code);
      return rc == 0 ? 0 : Libc.errno(state);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public byte[] residency(MemorySegment range) {
    long pages = (range.byteSize() + pageSize - 1) / pageSize;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment vector = arena.allocate(Math.max(1, pages));
      MemorySegment state = Libc.errnoState();
      int rc = (int) Libc.MINCORE.invokeExact(state, range, range.byteSize(), vector);
      check(rc, state, "mincore", range);
      return vector.asSlice(0, pages).toArray(ValueLayout.JAVA_BYTE);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public Populated populate(MemorySegment range) {
    if (os.madvPopulateRead() < 0) {
      return Populated.UNSUPPORTED;
    }
    int errno = madviseErrno(range, os.madvPopulateRead());
    return switch (errno) {
      case 0 -> Populated.DONE;
      case EINVAL -> Populated.UNSUPPORTED;
      case EFAULT, ENOMEM -> Populated.FAULTED;
      default ->
          throw new MmkitException(
              "madvise(MADV_POPULATE_READ) failed: length="
                  + range.byteSize()
                  + ", error="
                  + Libc.describe(errno));
    };
  }

  @Override
  public void release(MemorySegment range, boolean privateMapping) {
    if (!privateMapping) {
      madvise(range, MADV_DONTNEED);
    } else if (os.madvPageOut() >= 0) {
      madviseErrno(range, os.madvPageOut());
    }
  }

  @Override
  public void lock(MemorySegment range) {
    try {
      MemorySegment state = Libc.errnoState();
      int rc = (int) Libc.MLOCK.invokeExact(state, range, range.byteSize());
      if (rc != 0) {
        int errno = Libc.errno(state);
        throw new FullException(
            "mlock refused: length="
                + range.byteSize()
                + ", RLIMIT_MEMLOCK="
                + memlockLimit()
                + ", error="
                + Libc.describe(errno)
                + " (raise the limit with 'ulimit -l' or grant CAP_IPC_LOCK)");
      }
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private String memlockLimit() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment limit = arena.allocate(16, 8);
      int rc = (int) Libc.GETRLIMIT.invokeExact(Libc.errnoState(), os.rlimitMemlock(), limit);
      long current = limit.get(ValueLayout.JAVA_LONG, 0);
      return rc != 0 ? "unknown" : current == -1L ? "unlimited" : current + " bytes";
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public void unlock(MemorySegment range) {
    try {
      MemorySegment state = Libc.errnoState();
      int rc = (int) Libc.MUNLOCK.invokeExact(state, range, range.byteSize());
      check(rc, state, "munlock", range);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public FileHandle openFile(Path path, FileChannel channel, boolean writable) {
    return PosixFileHandle.open(os, path, channel, writable);
  }

  @Override
  public boolean futexWait(MemorySegment word, int expected, long timeoutNanos) {
    if (!features.contains(Feature.FUTEX)) {
      return FallbackNativeAccess.pollWait(word, expected, timeoutNanos);
    }
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment timeout = arena.allocate(16, 8);
      timeout.set(ValueLayout.JAVA_LONG, 0, timeoutNanos / 1_000_000_000L);
      timeout.set(ValueLayout.JAVA_LONG, 8, timeoutNanos % 1_000_000_000L);
      MemorySegment state = Libc.errnoState();
      // The raw address keeps the mapping closable while this thread sleeps; the kernel fails
      // the call with EFAULT rather than faulting if the word is unmapped meanwhile.
      long rc =
          (long)
              Libc.SYSCALL_FUTEX.invokeExact(
                  state,
                  os.sysFutex(),
                  MemorySegment.ofAddress(word.address()),
                  PosixConstants.FUTEX_WAIT,
                  expected,
                  timeout,
                  MemorySegment.NULL,
                  0);
      if (rc == 0) {
        return true;
      }
      int errno = Libc.errno(state);
      if (errno == os.errnoTimedOut()) {
        return false;
      }
      if (errno == os.errnoAgain() || errno == PosixConstants.EINTR) {
        return true;
      }
      throw new MmkitException("futex wait failed: error=" + Libc.describe(errno));
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public int futexWake(MemorySegment word, int count) {
    if (!features.contains(Feature.FUTEX)) {
      return 0;
    }
    try {
      MemorySegment state = Libc.errnoState();
      long rc =
          (long)
              Libc.SYSCALL_FUTEX.invokeExact(
                  state,
                  os.sysFutex(),
                  word,
                  PosixConstants.FUTEX_WAKE,
                  count,
                  MemorySegment.NULL,
                  MemorySegment.NULL,
                  0);
      if (rc < 0) {
        throw new MmkitException("futex wake failed: error=" + Libc.describe(Libc.errno(state)));
      }
      return (int) rc;
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  @Override
  public void surfacePendingFault() {
    try {
      int ignored = (int) Libc.ABS.invokeExact(1);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private static long sysconf(int name) {
    try {
      return (long) Libc.SYSCONF.invokeExact(name);
    } catch (Throwable e) {
      throw rethrow(e);
    }
  }

  private static void check(int rc, MemorySegment state, String call, MemorySegment range) {
    if (rc != 0) {
      throw new MmkitException(
          call
              + " failed: address="
              + range.address()
              + ", length="
              + range.byteSize()
              + ", error="
              + Libc.describe(Libc.errno(state)));
    }
  }

  /** Rethrows unchecked failures as they are and wraps anything else a downcall threw. */
  static RuntimeException rethrow(Throwable e) {
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
    if (e instanceof Error error) {
      throw error;
    }
    return new MmkitException("native call failed", e);
  }
}
