package dev.mmkit.core;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * SharedMemory is a named block of memory that several processes map together: a file under {@code
 * /dev/shm} (memory-backed, gone at reboot) or at any path. Writes by one process are seen by the
 * others at once, with no copying; coordinate them with {@link MappingAtomics}, {@link SharedLock}
 * and {@link Futex}.
 *
 * <p>{@link #create} publishes the block atomically: another process that opens the name sees
 * either nothing or the whole zeroed block, never a half-sized file. Files are 0600.
 */
public final class SharedMemory implements AutoCloseable {
  private final MappedFile file;
  private final Mapping mapping;

  private SharedMemory(MappedFile file) {
    this.file = file;
    this.mapping = file.map();
  }

  /**
   * Returns the directory for named blocks: {@code /dev/shm} when it exists, otherwise the
   * temporary directory.
   */
  public static Path directory() {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
  }

  /** Returns the path a block named {@code name} lives at. */
  public static Path pathOf(String name) {
    if (name.isEmpty() || name.contains("/") || name.startsWith(".")) {
      throw new IllegalArgumentException("bad shared memory name: name=" + name);
    }
    return directory().resolve(name);
  }

  /**
   * Creates a zeroed block of {@code size} bytes at {@code path} and maps it.
   *
   * @throws MmkitException when something already exists at {@code path}
   * @throws FullException when memory or disk cannot hold it
   */
  public static SharedMemory create(Path path, long size) {
    Path staging =
        path.resolveSibling(path.getFileName() + ".creating." + ProcessHandle.current().pid());
    try {
      MappedFile.create(staging, size).close();
      Files.createLink(path, staging);
    } catch (FileAlreadyExistsException e) {
      throw new MmkitException("shared memory already exists: file=" + path, e);
    } catch (IOException e) {
      throw new MmkitException("cannot create shared memory: file=" + path, e);
    } finally {
      deleteQuietly(staging);
    }
    return open(path);
  }

  /** Creates a zeroed block named {@code name} under {@link #directory()}; see {@link #create}. */
  public static SharedMemory create(String name, long size) {
    return create(pathOf(name), size);
  }

  /**
   * Maps the existing block at {@code path}, whole.
   *
   * @throws MmkitException when it does not exist
   */
  public static SharedMemory open(Path path) {
    MappedFile file = MappedFile.open(path, MapMode.READ_WRITE, false);
    try {
      if (file.size() == 0) {
        throw new CorruptException("shared memory is empty: file=" + path);
      }
      return new SharedMemory(file);
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  /** Maps the existing block named {@code name}; see {@link #open(Path)}. */
  public static SharedMemory open(String name) {
    return open(pathOf(name));
  }

  /**
   * Opens the block at {@code path}, creating it with {@code size} zero bytes when it does not
   * exist. When two processes race, exactly one creates it and both map the same block.
   */
  public static SharedMemory openOrCreate(Path path, long size) {
    while (true) {
      if (Files.exists(path)) {
        return open(path);
      }
      try {
        return create(path, size);
      } catch (MmkitException e) {
        if (!(e.getCause() instanceof FileAlreadyExistsException)) {
          throw e;
        }
      }
    }
  }

  /** Returns the mapping of the whole block; it stays valid until this object is closed. */
  public Mapping mapping() {
    return mapping;
  }

  /** Returns the block's path. */
  public Path path() {
    return file.path();
  }

  /** Returns the block's size in bytes. */
  public long size() {
    return mapping.size();
  }

  /** Unmaps the block. The block itself stays until {@link #delete} or reboot. */
  @Override
  public void close() {
    file.close();
  }

  /**
   * Removes the block's name. Processes that have it mapped keep using it; its memory is freed when
   * the last of them unmaps it.
   */
  public void delete() {
    deleteQuietly(path());
  }

  private static void deleteQuietly(Path path) {
    try {
      Files.deleteIfExists(path);
    } catch (IOException ignored) {
      // Nothing was published under this name; a stale staging file is harmless.
    }
  }
}
