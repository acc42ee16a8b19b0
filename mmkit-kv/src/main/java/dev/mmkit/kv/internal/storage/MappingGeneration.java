package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.Mapping;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.LongAdder;

/**
 * MappingGeneration is one read-only mapping of the data file's first {@code size} bytes. When the
 * file grows past it, a larger generation replaces it for new transactions; the old one is unmapped
 * only after the last transaction that uses it ends, so growth never invalidates a reader.
 */
final class MappingGeneration {
  final Mapping mapping;
  final MemorySegment segment;
  final long size;
  final LongAdder users = new LongAdder();
  volatile boolean retired;

  MappingGeneration(Mapping mapping) {
    this.mapping = mapping;
    this.segment = mapping.segment();
    this.size = mapping.size();
  }

  /** Registers a user unless the generation is retired; returns whether it did. */
  boolean enter() {
    users.increment();
    if (retired) {
      users.decrement();
      return false;
    }
    return true;
  }

  void exit() {
    users.decrement();
  }

  boolean idle() {
    return users.sum() == 0;
  }
}
