package dev.mmkit.core;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * MappedFile is a file opened for mapping. It hands out {@link Mapping}s of any range and any size
 * (well past 2 GiB), grows the file with real block allocation, and shrinks it only when no other
 * mmkit user has it open.
 *
 * <p>While open it holds a shared advisory lock ({@code flock}) that every mmkit process honours:
 * {@link #truncate} takes it exclusively, so mmkit never shrinks a file another mmkit user maps.
 * Programs that ignore the lock can still shrink the file; {@link Mapping} turns the resulting
 * faults into {@link TruncatedException}.
 *
 * <p>Files created by mmkit are readable and writable by their owner only (0600). Closing the file
 * closes every mapping made from it.
 */
public final class MappedFile implements AutoCloseable {
  private static final NativeAccess NATIVE = NativeAccess.instance();

  private final Path path;
  private final MapMode mode;
  private final FileChannel channel;
  private final FileHandle handle;
  private final Set<Mapping> mappings = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  private MappedFile(Path path, MapMode mode, FileChannel channel, FileHandle handle) {
    this.path = path;
    this.mode = mode;
    this.channel = channel;
    this.handle = handle;
  }

  /**
   * Opens a file for mapping. {@link MapMode#READ_WRITE} creates the file (0600) when it does not
   * exist; the other modes require it.
   *
   * @throws MmkitException when the file cannot be opened; its cause is the {@link IOException}
   */
  public static MappedFile open(Path path, MapMode mode) {
    return open(path, mode, true);
  }

  /** Opens a file for mapping; {@code create} says whether READ_WRITE may create it. */
  static MappedFile open(Path path, MapMode mode, boolean create) {
    FileChannel channel = openChannel(path, mode, create);
    FileHandle handle = null;
    try {
      handle = NATIVE.openFile(path, channel, mode != MapMode.READ_ONLY);
      handle.lockShared();
      return new MappedFile(path, mode, channel, handle);
    } catch (RuntimeException | Error e) {
      if (handle != null) {
        handle.close();
      }
      closeQuietly(channel);
      throw e;
    }
  }

  /**
   * Creates a new file of {@code size} bytes (0600), allocated on disk, and opens it read-write.
   *
   * @throws MmkitException when the file already exists
   * @throws FullException when the disk cannot hold it
   */
  public static MappedFile create(Path path, long size) {
    try {
      Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
    } catch (FileAlreadyExistsException e) {
      throw new MmkitException("file already exists: file=" + path, e);
    } catch (UnsupportedOperationException e) {
      createPlain(path);
    } catch (IOException e) {
      throw new MmkitException("cannot create file: file=" + path, e);
    }
    MappedFile file = open(path, MapMode.READ_WRITE);
    try {
      file.grow(size);
      return file;
    } catch (RuntimeException e) {
      file.close();
      throw e;
    }
  }

  private static final Set<java.nio.file.attribute.PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");

  private static void createPlain(Path path) {
    try {
      Files.createFile(path);
    } catch (IOException e) {
      throw new MmkitException("cannot create file: file=" + path, e);
    }
  }

  private static FileChannel openChannel(Path path, MapMode mode, boolean create) {
    try {
      return switch (mode) {
        case READ_ONLY -> FileChannel.open(path, StandardOpenOption.READ);
        case PRIVATE -> FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        case READ_WRITE -> {
          if (create && Files.notExists(path)) {
            try {
              Files.createFile(path, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
            } catch (FileAlreadyExistsException raced) {
              // Another opener created it first; open theirs.
            } catch (UnsupportedOperationException notPosix) {
              createPlain(path);
            }
          }
          yield FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
      };
    } catch (NoSuchFileException e) {
      throw new MmkitException("no such file: file=" + path, e);
    } catch (IOException e) {
      throw new MmkitException("cannot open file: file=" + path + ", mode=" + mode, e);
    }
  }

  /** Returns the path this file was opened with. */
  public Path path() {
    return path;
  }

  /** Returns the mode mappings of this file get. */
  public MapMode mode() {
    return mode;
  }

  /**
   * Returns the channel the file was opened with, for positional reads and writes beside the
   * mappings. It stays open until this file is closed. Do not close it, and do not shrink the file
   * through it: use {@link #truncate}, which checks that nobody else maps the file.
   */
  public FileChannel channel() {
    return channel;
  }

  /** Returns the current size of the file in bytes. */
  public long size() {
    ensureOpen();
    try {
      return channel.size();
    } catch (IOException e) {
      throw new MmkitException("cannot read file size: file=" + path, e);
    }
  }

  /** Maps the whole file. */
  public Mapping map() {
    return map(0, size());
  }

  /**
   * Maps {@code length} bytes starting at file offset {@code offset}; neither needs to be
   * page-aligned. In {@link MapMode#READ_WRITE} a range past the end grows the file first (see
   * {@link #grow}); in the other modes it fails.
   *
   * @throws TruncatedException when a read-only or private range lies past the end of the file
   * @throws FullException when growing the file finds the disk full
   */
  public Mapping map(long offset, long length) {
    ensureOpen();
    if (offset < 0 || length <= 0) {
      throw new IllegalArgumentException("offset=" + offset + ", length=" + length);
    }
    long end = Math.addExact(offset, length);
    long size = size();
    if (end > size) {
      if (mode != MapMode.READ_WRITE) {
        throw new TruncatedException(path, offset, length, size, null);
      }
      grow(end);
    }
    long pageSize = NATIVE.pageSize();
    long start = offset & -pageSize;
    long delta = offset - start;
    Arena arena = Arena.ofShared();
    try {
      MemorySegment region = channel.map(channelMode(), start, delta + length, arena);
      Mapping mapping =
          new Mapping(
              arena,
              region,
              delta,
              length,
              this,
              offset,
              mode != MapMode.READ_ONLY,
              mode == MapMode.PRIVATE);
      mappings.add(mapping);
      return mapping;
    } catch (IOException e) {
      arena.close();
      throw new MmkitException(
          "mmap failed: file=" + path + ", offset=" + offset + ", length=" + length, e);
    }
  }

  private FileChannel.MapMode channelMode() {
    return switch (mode) {
      case READ_ONLY -> FileChannel.MapMode.READ_ONLY;
      case READ_WRITE -> FileChannel.MapMode.READ_WRITE;
      case PRIVATE -> FileChannel.MapMode.PRIVATE;
    };
  }

  /**
   * Grows the file to {@code newSize} bytes, allocating real blocks for the new part ({@code
   * fallocate}, or writing zeros where that is missing), so a full disk fails here and not later as
   * a crash on a mapped page. Existing mappings stay valid. Does nothing when the file is already
   * as large.
   *
   * @throws FullException when the disk is full; the file may have grown part of the way
   */
  public void grow(long newSize) {
    ensureWritable("grow");
    long size = size();
    if (newSize > size) {
      handle.allocate(size, newSize - size);
    }
  }

  /**
   * Shrinks the file to {@code newSize} bytes. Allowed only when no other mmkit user, in this
   * process or another, has the file open, and no mapping of this one reaches past the new end.
   *
   * @throws MmkitException when another mmkit user has the file open; punch a hole instead
   */
  public void truncate(long newSize) {
    ensureWritable("truncate");
    for (Mapping mapping : List.copyOf(mappings)) {
      if (!mapping.isClosed() && mapping.fileOffset() + mapping.size() > newSize) {
        throw new IllegalStateException(
            "a live mapping reaches past the new end: newSize=" + newSize + ", " + mapping);
      }
    }
    if (!handle.tryLockExclusive()) {
      throw new MmkitException(
          "file is open in another mmkit mapping; refusing to shrink it under them: file="
              + path
              + " (punch a hole instead, or retry when they close)");
    }
    try {
      channel.truncate(newSize);
    } catch (IOException e) {
      throw new MmkitException("truncate failed: file=" + path + ", newSize=" + newSize, e);
    } finally {
      handle.downgrade();
    }
  }

  /**
   * Frees the disk blocks of a range without changing the file size ({@code fallocate PUNCH_HOLE}).
   * The range then reads as zeros everywhere it is mapped, with no fault: this is the safe way to
   * give space back while others map the file.
   *
   * @throws UnsupportedPlatformException without {@link Feature#FILE_ALLOCATE} or when the file
   *     system cannot punch holes
   */
  public void punchHole(long offset, long length) {
    ensureWritable("punchHole");
    handle.punchHole(offset, length);
  }

  /** Forces the file's contents and metadata (such as its size) to stable storage. */
  public void sync() {
    ensureOpen();
    try {
      channel.force(true);
    } catch (IOException e) {
      throw new MmkitException("fsync failed: file=" + path, e);
    }
  }

  /** Closes every mapping of this file, releases the lock and closes the file. Idempotent. */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    for (Mapping mapping : List.copyOf(mappings)) {
      mapping.close();
    }
    handle.close();
    closeQuietly(channel);
  }

  long sizeOrUnknown() {
    try {
      return channel.size();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Drops a range from the page cache. Dirty pages, whoever wrote them, are written back first: the
   * kernel keeps pages that are dirty or under writeback.
   */
  void dropCache(long offset, long length) {
    ensureOpen();
    try {
      channel.force(false);
    } catch (IOException e) {
      throw new MmkitException("fdatasync before evict failed: file=" + path, e);
    }
    handle.dropCache(offset, length);
  }

  void forget(Mapping mapping) {
    mappings.remove(mapping);
  }

  private void ensureOpen() {
    if (closed) {
      throw new ClosedException("file is closed: file=" + path);
    }
  }

  private void ensureWritable(String operation) {
    ensureOpen();
    if (mode != MapMode.READ_WRITE) {
      throw new IllegalStateException(
          operation + " needs a file opened READ_WRITE: file=" + path + ", mode=" + mode);
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException ignored) {
      // Closing a channel we only read through loses nothing.
    }
  }
}
