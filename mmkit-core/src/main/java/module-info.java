/**
 * Safe memory mappings on JDK 25: file-backed and anonymous mappings of any size, range sync,
 * advice, residency, memory locking, growth, shared memory between processes with atomics, a lock
 * that survives a dead holder, and futex wait/wake.
 */
module dev.mmkit.core {
  requires jdk.jfr;

  exports dev.mmkit.core;
}
