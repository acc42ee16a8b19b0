package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.MmkitException;
import dev.mmkit.kv.Durability;
import dev.mmkit.kv.internal.page.Meta;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Backup writes a consistent copy of a database's newest commit to a new file while writers go on:
 * it pins that commit with a read snapshot, so none of its pages can be reused meanwhile, and
 * copies the file's pages up to the commit's page count as they are, in pieces of {@link
 * WritePieces#SIZE}, so that the copy, once opened, takes small writes cheaply. The copy's meta
 * pages are that commit's meta page and, in the other slot, a meta page of an empty database as
 * written at creation (an older, valid commit), so the copy opens at the commit copied. Pages free
 * in that commit are copied too; a writer may be reusing them, which does not matter since nothing
 * in the copy refers to them.
 */
final class Backup {
  private Backup() {}

  /**
   * Copies the newest commit of {@code store} to {@code target}, which must not exist, and returns
   * that commit's txid.
   */
  static long copy(StoreFile store, Path target) {
    Snapshot s = store.beginRead();
    try {
      Files.createFile(
          target,
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try {
        write(s, target, store.durability() == Durability.SYNC);
        return s.txid();
      } catch (IOException | RuntimeException | Error e) {
        Files.deleteIfExists(target);
        throw e;
      }
    } catch (FileAlreadyExistsException e) {
      throw new IllegalArgumentException("backup target exists: file=" + target, e);
    } catch (IOException e) {
      throw new MmkitException("backup failed: file=" + store.path() + ", target=" + target, e);
    } finally {
      store.endRead(s);
    }
  }

  private static void write(Snapshot s, Path target, boolean sync) throws IOException {
    Meta meta = s.meta();
    int pageSize = s.pageSize();
    try (FileChannel out = FileChannel.open(target, StandardOpenOption.WRITE)) {
      byte[] buf = new byte[Math.max(WritePieces.SIZE, pageSize)];
      long end = meta.pageCount() * pageSize;
      for (long at = 2L * pageSize; at < end; ) {
        int n = (int) Math.min(buf.length, end - at);
        byte[] chunk = n == buf.length ? buf : new byte[n];
        long from = at;
        s.read(
            () -> {
              s.copy(from, chunk);
              return null;
            });
        writeFully(out, ByteBuffer.wrap(chunk), at);
        at += n;
      }
      long other = (meta.txid() + 1) & 1;
      long id = DatabaseIds.next();
      Meta empty = Meta.empty(other, pageSize, id);
      Meta copied = meta.asCopy(id); // a new database: its own id, no log yet
      writeFully(out, ByteBuffer.wrap(copied.encode()), (meta.txid() & 1) * pageSize);
      writeFully(out, ByteBuffer.wrap(empty.encode()), other * pageSize);
      if (sync) {
        out.force(true);
      }
    }
    if (sync) {
      StoreFile.syncDirectory(target);
    }
  }

  private static void writeFully(FileChannel out, ByteBuffer source, long position)
      throws IOException {
    long at = position;
    while (source.hasRemaining()) {
      at += out.write(source, at);
    }
  }
}
