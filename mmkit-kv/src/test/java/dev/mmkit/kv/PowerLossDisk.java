package dev.mmkit.kv;

import dev.mmkit.kv.internal.storage.FileChannelPageFile;
import dev.mmkit.kv.internal.storage.LockFileLayout;
import dev.mmkit.kv.internal.storage.PageFile;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * PowerLossDisk is a test-only file layer that models what a disk keeps when the power goes, for
 * every file the store opens through it (the data file and its write-ahead log). The real files
 * receive every write at once (as the page cache would, so the mapping sees them); a shadow file
 * beside each holds only what a flush of that file made durable. {@link #arm} and {@link
 * #armAtFlush} make the layer fail at a later write or flush, as if the power went then; {@link
 * #powerCycle} rebuilds each real file from its shadow plus what the disk may have written back on
 * its own before the power went, and restarts the machine as the lock file sees it (its boot id is
 * cleared, as another boot's would not match). Its files may be used from several threads.
 *
 * <p>That model is the weakest a file system promises: nothing written since the last flush of a
 * file is sure to survive, and any part of it may. Each 512-byte sector written since the last
 * flush ends independently at its durable content or at any of the versions it was given since
 * (never an older one after a newer one: the page cache only ever holds the newest), so writes
 * survive in any subset and any order across sectors and files, and pages tear at sector
 * boundaries. A file's size is the durable one or, when the file grew, possibly the new one with
 * unwritten sectors reading as zeros. A flush of a file, with or without metadata, makes everything
 * written to that file before it durable, and nothing of the other files.
 */
final class PowerLossDisk {
  private static final int SECTOR = 512;
  private static final int SECTORS_PER_BLOCK = 8;
  private static final int KEPT = 0;
  private static final int LOST = 1;
  private static final int TORN = 2;

  private final Path lockFile;
  private final Random random;
  private final Map<Path, DiskFile> files = new LinkedHashMap<>();
  private long countdown = Long.MAX_VALUE;
  private long flushCountdown = Long.MAX_VALUE;
  private long failingFlushCountdown = Long.MAX_VALUE;
  private boolean stayDead;
  private boolean dead;
  private int losses;

  /** PowerLoss is thrown by the layer at the moment the power goes. */
  static final class PowerLoss extends Error {
    private static final long serialVersionUID = 1L;

    PowerLoss() {
      super("simulated power loss");
    }
  }

  /** Creates a disk for the database at {@code file}, whose files are all empty or missing. */
  PowerLossDisk(Path file, long seed) throws IOException {
    this.lockFile = file.resolveSibling(file.getFileName() + "-lock");
    this.random = new Random(seed);
  }

  /** Opens a file of the database through the layer; pass as the store's opener. */
  PageFile open(Path path, boolean writable) throws IOException {
    DiskFile f = files.get(path);
    if (f == null) {
      f = new DiskFile(path);
      files.put(path, f);
    }
    return f.new Layer(FileChannelPageFile.open(path, writable));
  }

  /** Makes the power go at the {@code operations}-th write or flush from now. */
  void arm(long operations) {
    countdown = operations;
    flushCountdown = Long.MAX_VALUE;
  }

  /**
   * Makes the power go at the {@code flushes}-th flush from now, when a commit's every write is
   * waiting for it: the moment that decides whether the commit survives whole.
   */
  void armAtFlush(long flushes) {
    countdown = Long.MAX_VALUE;
    flushCountdown = flushes;
  }

  /**
   * Makes every write and flush after a power loss fail as well, until {@link #powerCycle}: the
   * threads of a store keep going for a moment after one of them met the loss, and on a real
   * machine nothing they write then reaches any file.
   */
  void stayDeadAfterLoss() {
    stayDead = true;
  }

  /**
   * Lets {@code flushes} more flushes succeed, then makes the next one fail with an {@link
   * IOException}, once, as a disk error would: nothing of that file becomes durable, and the disk
   * goes on working.
   */
  void failFlush(long flushes) {
    failingFlushCountdown = flushes;
  }

  /**
   * Brings the disk back after a loss as if only the process had died, not the machine: every write
   * stays as the page cache holds it, nothing more becomes durable, and the lock file keeps its
   * boot id, so the next open does not replay the log.
   */
  void restartProcess() {
    countdown = Long.MAX_VALUE;
    flushCountdown = Long.MAX_VALUE;
    dead = false;
  }

  /** Returns how many power losses happened. */
  int losses() {
    return losses;
  }

  /**
   * Rebuilds the files as the disk would hold them after the power came back, and restarts the
   * machine. How much of the unflushed writes survives is drawn per power loss (none, some or
   * nearly all), then per sector.
   */
  void powerCycle() throws IOException {
    powerCycle(new double[] {0, 0.1, 0.5, 0.9, 1}[random.nextInt(5)]);
  }

  /** Cuts the power and brings it back with nothing written since the last flush kept. */
  void powerCycleLosingEverythingUnflushed() throws IOException {
    powerCycle(-1);
  }

  private void powerCycle(double keep) throws IOException {
    for (DiskFile f : files.values()) {
      f.powerCycle(keep);
    }
    countdown = Long.MAX_VALUE;
    flushCountdown = Long.MAX_VALUE;
    dead = false;
    if (Files.exists(lockFile)) {
      try (RandomAccessFile lock = new RandomAccessFile(lockFile.toFile(), "rw")) {
        lock.seek(LockFileLayout.BOOT_ID);
        lock.write(new byte[16]);
      }
    }
  }

  /**
   * Draws what happens to one 4 KiB block of unflushed writes: written back whole (its newest
   * version), not at all, or torn — one in ten blocks the disk was writing when the power went.
   */
  private int fate(double keep) {
    if (random.nextInt(10) == 0) {
      return TORN;
    }
    return random.nextDouble() < keep ? KEPT : LOST;
  }

  private void tick() {
    if (dead) {
      throw new PowerLoss();
    }
    if (--countdown < 0) {
      countdown = Long.MAX_VALUE;
      powerGoes();
    }
  }

  private void powerGoes() {
    losses++;
    dead = stayDead;
    throw new PowerLoss();
  }

  /** DiskFile is what the disk holds of one file: its durable shadow and its unflushed sectors. */
  private final class DiskFile {
    private final Path file;
    private final Path shadow;

    /** Versions each sector was given since the last flush, oldest first. */
    private final Map<Long, List<byte[]>> pending = new HashMap<>();

    private long durableSize;
    private long writtenSize;

    DiskFile(Path file) throws IOException {
      this.file = file;
      this.shadow = file.resolveSibling(file.getFileName() + ".durable");
      Files.deleteIfExists(shadow);
      Files.createFile(shadow);
    }

    /**
     * Rebuilds the file keeping each block written since the last flush with probability {@code
     * keep}; a negative {@code keep} also rules out torn blocks and a grown size.
     */
    void powerCycle(double keep) throws IOException {
      boolean grownSizeSurvives = keep >= 0 && random.nextBoolean();
      Files.copy(shadow, file, StandardCopyOption.REPLACE_EXISTING);
      try (RandomAccessFile out = new RandomAccessFile(file.toFile(), "rw")) {
        long size = durableSize;
        if (grownSizeSurvives && writtenSize > durableSize) {
          out.setLength(writtenSize);
          size = writtenSize;
        }
        Map<Long, Integer> blockFates = new HashMap<>();
        for (Map.Entry<Long, List<byte[]>> e : pending.entrySet()) {
          List<byte[]> versions = e.getValue();
          int fate =
              keep < 0
                  ? LOST
                  : blockFates.computeIfAbsent(e.getKey() / SECTORS_PER_BLOCK, b -> fate(keep));
          int version =
              switch (fate) {
                case KEPT -> versions.size() - 1;
                case LOST -> -1;
                default -> random.nextInt(versions.size() + 1) - 1; // torn: each sector its own
              };
          long at = e.getKey() * SECTOR;
          if (version >= 0 && at < Math.max(size, durableSize)) {
            byte[] sector = versions.get(version);
            out.seek(at);
            out.write(sector, 0, (int) Math.min(sector.length, Math.max(size, durableSize) - at));
          }
        }
      }
      // What survived is on the disk now, durable for the next power loss too.
      makeDurable();
    }

    /** Records the sectors a write of {@code length} bytes at {@code position} gave new content. */
    private void recordSectors(PageFile real, long position, int length) throws IOException {
      long first = position / SECTOR;
      long last = (position + length - 1) / SECTOR;
      for (long sector = first; sector <= last; sector++) {
        byte[] content = new byte[SECTOR];
        ByteBuffer into = ByteBuffer.wrap(content);
        real.read(into, sector * SECTOR);
        pending.computeIfAbsent(sector, s -> new ArrayList<>()).add(content);
      }
    }

    private void makeDurable() throws IOException {
      Files.copy(file, shadow, StandardCopyOption.REPLACE_EXISTING);
      durableSize = Files.size(file);
      writtenSize = durableSize;
      pending.clear();
    }

    /** Layer is one open handle on the file. */
    private final class Layer implements PageFile {
      private final PageFile real;

      Layer(PageFile real) throws IOException {
        this.real = real;
        if (pending.isEmpty()) {
          durableSize = Math.max(durableSize, Files.size(file));
          writtenSize = Math.max(writtenSize, durableSize);
        }
      }

      @Override
      public void write(ByteBuffer source, long position) throws IOException {
        synchronized (PowerLossDisk.this) {
          writeNow(source, position);
        }
      }

      private void writeNow(ByteBuffer source, long position) throws IOException {
        tick();
        int length = source.remaining();
        real.write(source, position);
        writtenSize = Math.max(writtenSize, position + length);
        if (length > 0) {
          recordSectors(real, position, length);
        }
      }

      @Override
      public int read(ByteBuffer target, long position) throws IOException {
        synchronized (PowerLossDisk.this) {
          return real.read(target, position);
        }
      }

      @Override
      public void force(boolean metadata) throws IOException {
        synchronized (PowerLossDisk.this) {
          tick();
          if (--flushCountdown < 0) {
            flushCountdown = Long.MAX_VALUE;
            powerGoes();
          }
          if (--failingFlushCountdown < 0) {
            failingFlushCountdown = Long.MAX_VALUE;
            throw new IOException("simulated disk error during a flush: " + file);
          }
          makeDurable();
        }
      }

      @Override
      public long size() throws IOException {
        return real.size();
      }

      @Override
      public void close() throws IOException {
        real.close();
      }
    }
  }
}
