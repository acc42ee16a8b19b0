package dev.mmkit.core;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * FallbackFileHandle coordinates file shrinking without {@code flock}: handles in this JVM are
 * counted per file, and a file may be shrunk only by the single handle open on it. Other JVMs are
 * not seen; that is the documented cost of running without native access.
 */
final class FallbackFileHandle implements FileHandle {
  private static final Map<Object, Integer> OPEN_HANDLES = new HashMap<>();

  private final Path path;
  private final FileChannel channel;
  private final Object key;
  private boolean counted;

  FallbackFileHandle(Path path, FileChannel channel) {
    this.path = path;
    this.channel = channel;
    this.key = fileKey(path);
  }

  private static Object fileKey(Path path) {
    try {
      Object key =
          java.nio.file.Files.readAttributes(
                  path, java.nio.file.attribute.BasicFileAttributes.class)
              .fileKey();
      return key != null ? key : path.toRealPath();
    } catch (IOException e) {
      throw new MmkitException("cannot identify file: file=" + path, e);
    }
  }

  @Override
  public void lockShared() {
    synchronized (OPEN_HANDLES) {
      if (!counted) {
        OPEN_HANDLES.merge(key, 1, Integer::sum);
        counted = true;
      }
    }
  }

  @Override
  public boolean tryLockExclusive() {
    synchronized (OPEN_HANDLES) {
      return OPEN_HANDLES.getOrDefault(key, 0) == (counted ? 1 : 0);
    }
  }

  @Override
  public void downgrade() {
    // The count already says this handle is open.
  }

  @Override
  public void allocate(long offset, long length) {
    ZeroFill.allocate(channel, path, offset, length);
  }

  @Override
  public void punchHole(long offset, long length) {
    throw new UnsupportedPlatformException("hole punching needs native access: file=" + path);
  }

  @Override
  public void dropCache(long offset, long length) {
    // Without posix_fadvise the page cache keeps the pages until the kernel reclaims them.
  }

  @Override
  public void close() {
    synchronized (OPEN_HANDLES) {
      if (counted) {
        OPEN_HANDLES.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        counted = false;
      }
    }
  }
}
