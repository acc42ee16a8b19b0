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
   * Back the mapping with huge pages: {@code MAP_HUGETLB} when the system has huge pages reserved,
   * otherwise transparent huge pages requested with {@code madvise}. Sizes are rounded up to 2 MiB
   * for {@code MAP_HUGETLB}.
   */
  HUGE_PAGES
}
