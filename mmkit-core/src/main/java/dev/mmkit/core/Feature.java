package dev.mmkit.core;

/**
 * Feature names one capability that depends on the platform and on native access being enabled.
 * {@link Platform#liveFeatures()} lists those that work in this JVM; every other feature degrades
 * as its constant describes, and none of them ever crashes the JVM.
 */
public enum Feature {
  /** {@code madvise}: advice on a range. Without it {@link Mapping#advise} does nothing. */
  ADVICE,
  /** {@code mincore}: per-page residency. Without it {@link Mapping#residency} reports unknown. */
  RESIDENCY,
  /**
   * {@code msync} on any range, synchronously or asynchronously. Without it sync falls back to
   * {@code MappedByteBuffer.force}, which is always synchronous.
   */
  RANGE_SYNC,
  /** {@code mlock}. Without it {@link Mapping#lock} throws {@link UnsupportedPlatformException}. */
  MEMORY_LOCK,
  /**
   * {@code futex} wait and wake on a shared word (Linux). Without it {@link Futex#await} polls the
   * word with a growing pause and {@link Futex#wake} is a no-op.
   */
  FUTEX,
  /**
   * {@code mmap} of anonymous memory, shared or private, with huge pages on request. Without it
   * anonymous mappings are page-aligned blocks from an {@link java.lang.foreign.Arena}, and huge
   * pages are refused.
   */
  ANONYMOUS_MMAP,
  /**
   * {@code fallocate}: growth with real block allocation in one call and hole punching. Without it
   * growth writes zeros block by block, which also allocates, and hole punching is unsupported.
   */
  FILE_ALLOCATE,
  /**
   * {@code posix_fadvise(DONTNEED)}: dropping a file's pages from the page cache on {@link
   * Mapping#evict}. Without it eviction only drops the pages from this mapping.
   */
  PAGE_CACHE_DROP,
  /**
   * {@code flock}: advisory file locks per open file, which mmkit processes honour so that none
   * shrinks a file another one maps. Without it the lock only covers this JVM and other JVMs are
   * coordinated through {@link java.nio.channels.FileLock}.
   */
  FILE_LOCK
}
