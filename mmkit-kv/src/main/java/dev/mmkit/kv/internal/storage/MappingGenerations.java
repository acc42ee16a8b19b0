package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.MappedFile;
import dev.mmkit.kv.CorruptDbException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * MappingGenerations is the succession of read-only mapping {@link MappingGeneration}s of one data
 * file: it pins the current generation for a reader, maps a larger one when the file grew past it,
 * and unmaps a retired generation, off the calling thread, once its last reader unpinned it.
 */
final class MappingGenerations {
  private final Path path;
  private final MappedFile mapped;
  private final Runnable ensureOpen;
  private final List<MappingGeneration> retired = new ArrayList<>();
  private volatile MappingGeneration generation;

  /**
   * Maps all of {@code mapped} as the first generation; {@code ensureOpen} fails once the store is
   * closed, and is checked before each remapping.
   */
  MappingGenerations(Path path, MappedFile mapped, Runnable ensureOpen) {
    this.path = path;
    this.mapped = mapped;
    this.ensureOpen = ensureOpen;
    this.generation = new MappingGeneration(mapped.map(0, mapped.size()));
  }

  /** Pins a mapping generation that covers {@code bytes}, remapping when the file grew. */
  MappingGeneration pin(long bytes) {
    while (true) {
      MappingGeneration g = generation;
      if (g.size >= bytes) {
        if (g.enter()) {
          return g;
        }
        continue;
      }
      remap(bytes);
    }
  }

  /** Unpins {@code g}; the last user of a retired generation has it unmapped. */
  void unpin(MappingGeneration g) {
    g.exit();
    if (g.retired) {
      reap();
    }
  }

  private synchronized void remap(long bytes) {
    ensureOpen.run();
    MappingGeneration g = generation;
    if (g.size >= bytes) {
      return;
    }
    long size = mapped.size();
    if (size < bytes) {
      throw shorterThanMeta(size, bytes);
    }
    RemapEvent event = new RemapEvent();
    event.begin();
    generation = new MappingGeneration(mapped.map(0, size));
    event.end();
    if (event.shouldCommit()) {
      event.file = path.toString();
      event.fromSize = g.size;
      event.toSize = size;
      event.commit();
    }
    g.retired = true;
    retired.add(g);
    reap();
  }

  /** Unmaps retired generations nobody uses, off the calling thread. */
  private synchronized void reap() {
    for (int i = retired.size() - 1; i >= 0; i--) {
      MappingGeneration g = retired.get(i);
      if (g.idle()) {
        retired.remove(i);
        Thread.ofVirtual().name("mmkit-kv-unmap").start(g.mapping::close);
      }
    }
  }

  /** Unmaps every generation. */
  synchronized void close() {
    mapped.close();
    retired.clear();
  }

  private CorruptDbException shorterThanMeta(long size, long expected) {
    return new CorruptDbException(
        -1,
        "database file is shorter than its meta page says (truncated): file="
            + path
            + ", size="
            + size
            + ", expected="
            + expected);
  }
}
