package dev.mmkit.core;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * PosixFileHandle is a second file descriptor on a mapped file, opened with {@code open(2)}, that
 * carries an {@code flock} lock and serves {@code fallocate} and {@code posix_fadvise}. An {@code
 * flock} lock belongs to its open file description, so two handles in one process exclude each
 * other exactly as two processes do.
 */
final class PosixFileHandle implements FileHandle {
  private final PosixConstants os;
  private final Path path;
  private final FileChannel channel;
  private final int fd;

  private PosixFileHandle(PosixConstants os, Path path, FileChannel channel, int fd) {
    this.os = os;
    this.path = path;
    this.channel = channel;
    this.fd = fd;
  }

  static PosixFileHandle open(PosixConstants os, Path path, FileChannel channel, boolean writable) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment name = arena.allocateFrom(path.toAbsolutePath().toString());
      MemorySegment state = Libc.errnoState();
      int flags = writable ? os.openReadWrite() : os.openReadOnly();
      int fd = (int) Libc.OPEN.invokeExact(state, name, flags);
      if (fd < 0) {
        throw new MmkitException(
            "open failed: file=" + path + ", error=" + Libc.describe(Libc.errno(state)));
      }
      return new PosixFileHandle(os, path, channel, fd);
    } catch (Throwable e) {
      throw PosixNativeAccess.rethrow(e);
    }
  }

  @Override
  public void lockShared() {
    int errno;
    while ((errno = flock(PosixConstants.LOCK_SH)) == PosixConstants.EINTR) {
      Thread.onSpinWait();
    }
    failOn(errno, "flock(LOCK_SH)");
  }

  @Override
  public boolean tryLockExclusive() {
    int errno = flock(PosixConstants.LOCK_EX | PosixConstants.LOCK_NB);
    if (errno == 0) {
      return true;
    }
    // flock converts by releasing first: take the shared lock back before reporting.
    lockShared();
    if (errno == os.errnoAgain()) {
      return false;
    }
    failOn(errno, "flock(LOCK_EX)");
    return false;
  }

  @Override
  public void downgrade() {
    lockShared();
  }

  @Override
  public void allocate(long offset, long length) {
    if (Libc.FALLOCATE != null && os.hasFallocate()) {
      int errno = fallocate(0, offset, length);
      if (errno == 0) {
        return;
      }
      if (errno == os.errnoNoSpace()) {
        throw noSpace(offset, length, null);
      }
      if (errno != os.errnoNotSupported()) {
        failOn(errno, "fallocate");
      }
    }
    ZeroFill.allocate(channel, path, offset, length);
  }

  @Override
  public void punchHole(long offset, long length) {
    if (Libc.FALLOCATE == null || !os.hasFallocate()) {
      throw new UnsupportedPlatformException("hole punching needs fallocate: os=" + os.os());
    }
    int mode = PosixConstants.FALLOC_FL_PUNCH_HOLE | PosixConstants.FALLOC_FL_KEEP_SIZE;
    int errno = fallocate(mode, offset, length);
    if (errno == os.errnoNotSupported()) {
      throw new UnsupportedPlatformException("the file system cannot punch holes: file=" + path);
    }
    failOn(errno, "fallocate(PUNCH_HOLE)");
  }

  @Override
  public void dropCache(long offset, long length) {
    if (Libc.POSIX_FADVISE == null || os.fadvDontNeed() < 0) {
      return;
    }
    try {
      int errno = (int) Libc.POSIX_FADVISE.invokeExact(fd, offset, length, os.fadvDontNeed());
      failOn(errno, "posix_fadvise(DONTNEED)");
    } catch (Throwable e) {
      throw PosixNativeAccess.rethrow(e);
    }
  }

  @Override
  public void close() {
    try {
      int ignored = (int) Libc.CLOSE.invokeExact(Libc.errnoState(), fd);
    } catch (Throwable e) {
      throw PosixNativeAccess.rethrow(e);
    }
  }

  private int flock(int operation) {
    try {
      MemorySegment state = Libc.errnoState();
      int rc = (int) Libc.FLOCK.invokeExact(state, fd, operation);
      return rc == 0 ? 0 : Libc.errno(state);
    } catch (Throwable e) {
      throw PosixNativeAccess.rethrow(e);
    }
  }

  private int fallocate(int mode, long offset, long length) {
    try {
      MemorySegment state = Libc.errnoState();
      int rc;
      while ((rc = (int) Libc.FALLOCATE.invokeExact(state, fd, mode, offset, length)) != 0
          && Libc.errno(state) == PosixConstants.EINTR) {
        Thread.onSpinWait();
      }
      return rc == 0 ? 0 : Libc.errno(state);
    } catch (Throwable e) {
      throw PosixNativeAccess.rethrow(e);
    }
  }

  private FullException noSpace(long offset, long length, Throwable cause) {
    return ZeroFill.noSpace(path, offset, length, cause);
  }

  private void failOn(int errno, String call) {
    if (errno != 0) {
      throw new MmkitException(call + " failed: file=" + path + ", error=" + Libc.describe(errno));
    }
  }
}
