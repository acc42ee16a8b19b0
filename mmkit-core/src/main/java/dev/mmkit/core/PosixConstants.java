package dev.mmkit.core;

/**
 * PosixConstants holds the flag values that differ between the POSIX systems mmkit binds. Values of
 * {@code -1} mark a call the system does not have; the matching feature is then off.
 *
 * @param os a short name for messages
 * @param scPageSize {@code _SC_PAGESIZE} for {@code sysconf}
 * @param mapShared {@code MAP_SHARED}
 * @param mapPrivate {@code MAP_PRIVATE}
 * @param mapAnonymous {@code MAP_ANONYMOUS}
 * @param mapHugeTlb {@code MAP_HUGETLB}, or -1
 * @param msAsync {@code MS_ASYNC}
 * @param msSync {@code MS_SYNC}
 * @param madvHugePage {@code MADV_HUGEPAGE}, or -1
 * @param madvNoHugePage {@code MADV_NOHUGEPAGE}, or -1
 * @param madvPageOut {@code MADV_PAGEOUT}, or -1
 * @param madvPopulateRead {@code MADV_POPULATE_READ}, or -1
 * @param openReadWrite {@code O_RDWR | O_CLOEXEC}
 * @param openReadOnly {@code O_RDONLY | O_CLOEXEC}
 * @param fadvDontNeed {@code POSIX_FADV_DONTNEED}, or -1 when there is no {@code posix_fadvise}
 * @param hasFallocate whether {@code fallocate} exists
 * @param rlimitMemlock {@code RLIMIT_MEMLOCK}
 * @param sysFutex the {@code futex} system call number, or -1
 * @param errnoAgain {@code EAGAIN}
 * @param errnoTimedOut {@code ETIMEDOUT}
 * @param errnoNoSpace {@code ENOSPC}
 * @param errnoNotSupported {@code EOPNOTSUPP}
 */
record PosixConstants(
    String os,
    int scPageSize,
    int mapShared,
    int mapPrivate,
    int mapAnonymous,
    int mapHugeTlb,
    int msAsync,
    int msSync,
    int madvHugePage,
    int madvNoHugePage,
    int madvPageOut,
    int madvPopulateRead,
    int openReadWrite,
    int openReadOnly,
    int fadvDontNeed,
    boolean hasFallocate,
    int rlimitMemlock,
    long sysFutex,
    int errnoAgain,
    int errnoTimedOut,
    int errnoNoSpace,
    int errnoNotSupported) {

  static final int PROT_READ = 1;
  static final int PROT_WRITE = 2;
  static final int MADV_NORMAL = 0;
  static final int MADV_RANDOM = 1;
  static final int MADV_SEQUENTIAL = 2;
  static final int MADV_WILLNEED = 3;
  static final int MADV_DONTNEED = 4;
  static final int LOCK_SH = 1;
  static final int LOCK_EX = 2;
  static final int LOCK_NB = 4;
  static final int FALLOC_FL_KEEP_SIZE = 1;
  static final int FALLOC_FL_PUNCH_HOLE = 2;
  static final int FUTEX_WAIT = 0;
  static final int FUTEX_WAKE = 1;
  static final int EINTR = 4;

  /**
   * Returns the constants for an {@code os.name} and {@code os.arch}, or {@code null} when mmkit
   * has no binding for that system.
   */
  static PosixConstants forOs(String osName, String arch) {
    if (osName.contains("linux")) {
      long futex = futexSyscall(arch);
      return new PosixConstants(
          "linux", 30, 1, 2, 0x20, 0x40000, 1, 4, 14, 15, 21, 22, 0x80002, 0x80000, 4, true, 8,
          futex, 11, 110, 28, 95);
    }
    if (osName.contains("mac") || osName.contains("darwin")) {
      return new PosixConstants(
          "macos", 29, 1, 2, 0x1000, -1, 1, 0x10, -1, -1, -1, -1, 0x1000002, 0x1000000, -1, false,
          6, -1, 35, 60, 28, 102);
    }
    return null;
  }

  private static long futexSyscall(String arch) {
    return switch (arch) {
      case "amd64", "x86_64" -> 202;
      case "aarch64", "riscv64" -> 98;
      default -> -1;
    };
  }
}
