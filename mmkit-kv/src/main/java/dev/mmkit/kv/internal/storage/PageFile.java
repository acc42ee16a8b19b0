package dev.mmkit.kv.internal.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * PageFile is the door through which the store writes its data file: positional writes, flushes and
 * the size. Reads go through a read-only mapping instead; the only reads here are the meta pages at
 * open. Tests substitute an implementation that forgets unflushed writes to simulate power loss.
 */
public interface PageFile extends AutoCloseable {

  /** Opens page files; the store takes one so that tests can substitute theirs. */
  @FunctionalInterface
  interface Opener {
    /** Opens the data file at {@code path}, writable or not; it exists. */
    PageFile open(Path path, boolean writable) throws IOException;
  }

  /** Writes all remaining bytes of {@code source} at file offset {@code position}. */
  void write(ByteBuffer source, long position) throws IOException;

  /** Reads up to the remaining bytes of {@code target} from {@code position}; returns the count. */
  int read(ByteBuffer target, long position) throws IOException;

  /**
   * Flushes written data to stable storage; with {@code metadata}, the file size and other metadata
   * too.
   */
  void force(boolean metadata) throws IOException;

  /** Returns the file size. */
  long size() throws IOException;

  /** Closes the file. */
  @Override
  void close() throws IOException;
}
