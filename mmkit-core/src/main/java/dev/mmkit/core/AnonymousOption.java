package dev.mmkit.core;

/** AnonymousOption adjusts {@link Mapping#anonymous(long, AnonymousOption...)}. */
public enum AnonymousOption {
  /**
   * {@code MAP_SHARED} instead of {@code MAP_PRIVATE}: the pages are shmem-backed, which matters
   * for accounting and for processes created by {@code fork}; a JVM does not fork, so between JVMs
   * use {@link SharedMemory}.
   */
  SHARED,
  /**
   * Back the mapping with huge pages: {@code MAP_HUGETLB} when the system has huge pages reserved
   * and free (sizes are then rounded up to 2 MiB), otherwise transparent huge pages requested with
   * {@code madvise} on a range that starts on a 2 MiB boundary, so that every whole 2 MiB block of
   * it can get one. The kernel hands out transparent huge pages as it can; where it would never
   * give any to this kind of memory (Linux switches them off separately for private memory and for
   * shared memory under {@code /sys/kernel/mm/transparent_hugepage}), or without native access,
   * {@link Mapping#anonymous} refuses with {@link UnsupportedPlatformException} naming the reason.
   */
  HUGE_PAGES
}
