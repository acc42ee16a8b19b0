package dev.mmkit.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.kv.internal.page.PageLayout;
import dev.mmkit.kv.internal.storage.FileChannelPageFile;
import dev.mmkit.kv.internal.storage.LockFileLayout;
import dev.mmkit.kv.internal.storage.PageFile;
import dev.mmkit.kv.internal.txn.StagedCommit;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * WriteAheadLogTest checks the write-ahead log beside a database ({@code NAME-wal}) on its own:
 * that a restart replays what only the log held, that the log starts over at checkpoints and never
 * outgrows its size, that damage to it is reported and never answered silently, and that a log left
 * beside another file is never replayed over it. The disk is {@link PowerLossDisk}, which keeps
 * only what was flushed.
 */
class WriteAheadLogTest {
  private static final int PAGE = 4096; // the default page size: offsets below assume it
  private static final long ONE_MIB = 1 << 20;

  @TempDir Path dir;

  @Test
  void shouldReplayWhatOnlyTheLogHeldAfterARestart() throws Exception {
    Path file = dir.resolve("replay.db");
    PowerLossDisk disk = new PowerLossDisk(file, 1);
    TreeMap<String, String> expected = new TreeMap<>();
    long lastTxid;
    try (Db db = Db.open(file, DbOptions.defaults(), disk::open)) {
      for (int i = 0; i < 50; i++) {
        String key = "k" + i;
        db.update(tx -> tx.createBucketIfAbsent("b").put(key, "v-" + key));
        expected.put(key, "v-" + key);
      }
      lastTxid = db.read(Tx::id);
    }
    disk.powerCycleLosingEverythingUnflushed();
    assertThat(newestMetaTxid(file))
        .as("the data file alone, as the disk kept it, is behind the last commit")
        .isLessThan(lastTxid);

    try (Db db = Db.open(file, DbOptions.defaults(), disk::open)) {
      assertThat((long) db.read(Tx::id)).isEqualTo(lastTxid);
      assertThat(contents(db, "b")).isEqualTo(expected);
      assertThat(db.discardedCommit()).isEmpty();
      assertThat(db.check()).isEmpty();
    }
    assertThat(newestMetaTxid(file)).as("recovery flushed the replayed state").isEqualTo(lastTxid);
  }

  @Test
  void shouldNotBringBackAtTheNextRestartACommitTheLastOpenDidNotShow() throws Exception {
    Path file = dir.resolve("unfinished.db");
    PowerLossDisk disk = new PowerLossDisk(file, 3);
    disk.stayDeadAfterLoss();
    Db db = Db.open(file, DbOptions.defaults(), disk::open);
    db.update(tx -> tx.createBucketIfAbsent("b").put("k", "before"));
    // A commit whose record reaches the log and is flushed, and whose process dies before it
    // writes the meta page: nobody was told it committed.
    Tx tx = db.beginWrite();
    tx.bucket("b").put("k", "unfinished");
    StagedCommit unfinished = tx.commitStaged();
    unfinished.writePages();
    disk.arm(1); // The log's flush goes through; the meta page's write is where the process dies.
    assertThatThrownBy(unfinished::complete).isInstanceOf(PowerLossDisk.PowerLoss.class);
    try {
      unfinished.endChain();
      db.close();
    } catch (RuntimeException | PowerLossDisk.PowerLoss ignored) {
      // The process is dead; nothing more of it reaches the files.
    }
    disk.restartProcess();

    try (Db reopened = Db.open(file, DbOptions.defaults(), disk::open)) {
      assertThat(read(reopened, "k"))
          .as("the newest meta page is the commit before")
          .isEqualTo("before");
    }
    disk.powerCycleLosingEverythingUnflushed();
    try (Db afterRestart = Db.open(file, DbOptions.defaults(), disk::open)) {
      assertThat(read(afterRestart, "k"))
          .as("the replay after the machine restarted stops where the last open was")
          .isEqualTo("before");
      assertThat(afterRestart.discardedCommit()).isEmpty();
      assertThat(afterRestart.check()).isEmpty();
    }
  }

  @Test
  void shouldCutOffTheRecordOfACommitThatFailedBeforeTheNextWriterBuildsOnTheOneBefore()
      throws Exception {
    Path file = dir.resolve("failed.db");
    PowerLossDisk disk = new PowerLossDisk(file, 5);
    try (Db db = Db.open(file, DbOptions.defaults(), disk::open)) {
      db.update(tx -> tx.createBucketIfAbsent("b").put("k", "before"));
      Tx tx = db.beginWrite();
      tx.bucket("b").put("k", "failed");
      StagedCommit failed = tx.commitStaged();
      failed.writePages();
      disk.arm(1); // The log's flush goes through; the meta page's write fails, and the disk lives.
      assertThatThrownBy(failed::complete).isInstanceOf(PowerLossDisk.PowerLoss.class);
      failed.endChain();
      assertThat(read(db, "k")).isEqualTo("before");
      // The next writer begins (and commits nothing); a commit after the newest one was attempted.
      db.beginWrite().rollback();
    }
    disk.powerCycleLosingEverythingUnflushed();
    try (Db afterRestart = Db.open(file, DbOptions.defaults(), disk::open)) {
      assertThat(read(afterRestart, "k"))
          .as("the failed commit's flushed record is not replayed")
          .isEqualTo("before");
      assertThat(afterRestart.check()).isEmpty();
    }
  }

  @Test
  void shouldStartTheLogOverAtCheckpointsWithoutOutgrowingIt() throws Exception {
    Path file = dir.resolve("full.db");
    Path log = logOf(file);
    PowerLossDisk disk = new PowerLossDisk(file, 2);
    DbOptions options = DbOptions.defaults().logSize(ONE_MIB);
    TreeMap<String, String> expected = new TreeMap<>();
    Random random = new Random(2);
    long firstHeader = -1;
    for (int round = 0; round < 5; round++) {
      try (Db db = Db.open(file, options, disk::open)) {
        assertThat(contents(db, "b")).isEqualTo(expected);
        assertThat(db.check()).isEmpty();
        if (firstHeader < 0) {
          firstHeader = headerTxid(log);
        }
        for (int i = 0; i < 200; i++) {
          String key = "k" + random.nextInt(5_000);
          String value = "x".repeat(random.nextInt(3_000));
          db.update(tx -> tx.createBucketIfAbsent("b").put(key, value));
          expected.put(key, value);
          assertThat(Files.size(log)).as("log size").isLessThanOrEqualTo(ONE_MIB);
        }
        assertThat(db.check()).isEmpty();
      }
      disk.powerCycleLosingEverythingUnflushed();
    }
    assertThat(headerTxid(log)).as("checkpoints moved the header on").isGreaterThan(firstHeader);
    try (Db db = Db.open(file, options, disk::open)) {
      assertThat(contents(db, "b")).isEqualTo(expected);
      assertThat(db.check()).isEmpty();
    }
  }

  @Test
  void shouldCheckpointACommitTooLargeForTheLog() throws Exception {
    Path file = dir.resolve("large.db");
    PowerLossDisk disk = new PowerLossDisk(file, 3);
    DbOptions options = DbOptions.defaults().logSize(ONE_MIB);
    byte[] large = new byte[(int) ONE_MIB / 2];
    new Random(3).nextBytes(large);
    long txid;
    try (Db db = Db.open(file, options, disk::open)) {
      db.update(tx -> tx.createBucketIfAbsent("b").put("small", "1"));
      assertThat(db.stats().logRecordBytes()).as("a small commit was logged").isPositive();
      db.update(tx -> tx.bucket("b").put("large".getBytes(), large));
      txid = db.read(Tx::id);
      DbStats stats = db.stats();
      assertThat(stats.logRecordBytes()).as("nothing to replay after a checkpoint").isZero();
      assertThat(stats.logSize()).isEqualTo(Files.size(logOf(file)));
      assertThat(headerTxid(logOf(file)))
          .as("a record over a quarter of the log: the commit is a checkpoint")
          .isEqualTo(txid);
      assertThat(newestMetaTxid(file)).isEqualTo(txid);
    }
    disk.powerCycleLosingEverythingUnflushed();
    try (Db db = Db.open(file, options, disk::open)) {
      assertThat(readBytes(db, "large")).isEqualTo(large);
      assertThat((long) db.read(Tx::id)).isEqualTo(txid);
      assertThat(db.check()).isEmpty();
    }
  }

  @Test
  void shouldReportADamagedRecordInsteadOfRollingBackSilently() throws Exception {
    Path file = dir.resolve("damaged.db");
    long[] txids = new long[3];
    try (Db db = Db.open(file)) {
      for (int i = 0; i < 3; i++) {
        String value = "v" + i;
        db.update(tx -> tx.createBucketIfAbsent("b").put("k", value));
        txids[i] = db.read(Tx::id);
      }
    }
    // Flip one byte inside the last acknowledged record, then restart the machine.
    long lastRecord = recordOffsets(logOf(file)).get(2);
    flipByte(logOf(file), lastRecord + 100);
    forgetBoot(file);

    try (Db db = Db.open(file)) {
      DiscardedCommit discarded = db.discardedCommit().orElseThrow();
      assertThat(discarded.txid()).isEqualTo(txids[2]);
      assertThat(discarded.metaPage()).isEqualTo(-1);
      assertThat(discarded.openedTxid()).isEqualTo(txids[1]);
      assertThat(discarded.message())
          .contains("write-ahead log", "acknowledged commit may be lost");
      assertThat(read(db, "k")).isEqualTo("v1");
      assertThat(db.check())
          .as("the checker names what was set aside")
          .hasSize(1)
          .allMatch(p -> p.severity() == DbProblem.Severity.COMMIT);
      db.update(tx -> tx.bucket("b").put("k", "v3"));
      assertThat(db.check()).as("until the next commit").isEmpty();
    }
  }

  @Test
  void shouldTreatAHostileRecordLengthAsTheEndOfTheChain() throws Exception {
    Path file = dir.resolve("hostile.db");
    long[] txids = new long[3];
    try (Db db = Db.open(file)) {
      for (int i = 0; i < 3; i++) {
        String value = "v" + i;
        db.update(tx -> tx.createBucketIfAbsent("b").put("k", value));
        txids[i] = db.read(Tx::id);
      }
    }
    // The last record claims to run far past the end of the file.
    writeLong(logOf(file), recordOffsets(logOf(file)).get(2) + 24, Long.MAX_VALUE - 7);
    forgetBoot(file);
    try (Db db = Db.open(file)) {
      DiscardedCommit discarded = db.discardedCommit().orElseThrow();
      assertThat(discarded.txid()).isEqualTo(txids[2]);
      assertThat(discarded.openedTxid()).isEqualTo(txids[1]);
      assertThat(read(db, "k")).isEqualTo("v1");
      assertThat(db.check()).hasSize(1);
    }
  }

  @Test
  void shouldReportALogWhoseHeaderSlotsAreBothUnreadable() throws Exception {
    Path file = dir.resolve("headers.db");
    try (Db db = Db.open(file)) {
      for (int i = 0; i < 3; i++) {
        String value = "v" + i;
        db.update(tx -> tx.createBucketIfAbsent("b").put("k", value));
      }
    }
    flipByte(logOf(file), 200);
    flipByte(logOf(file), PAGE + 200);
    forgetBoot(file);
    try (Db db = Db.open(file)) {
      DiscardedCommit discarded = db.discardedCommit().orElseThrow();
      assertThat(discarded.metaPage()).isEqualTo(-1);
      assertThat(discarded.txid()).isEqualTo(-1);
      assertThat(discarded.message()).contains("header slot", "acknowledged commit may be lost");
      // Nothing was lost here (the data file kept every write: no power went), and it says so
      // loudly instead of answering from the data file in silence.
      assertThat(read(db, "k")).isEqualTo("v2");
      assertThat(db.check()).hasSize(1);
      db.update(tx -> tx.bucket("b").put("k", "v3"));
      assertThat(db.check()).isEmpty();
    }
  }

  @Test
  void shouldMakeTheCheckerReportALogThatWouldNotReplay() throws Exception {
    Path file = dir.resolve("checked.db");
    try (Db db = Db.open(file)) {
      for (int i = 0; i < 3; i++) {
        String value = "v" + i;
        db.update(tx -> tx.createBucketIfAbsent("b").put("k", value));
      }
      assertThat(db.check()).isEmpty();
      // Damage the middle record: nothing reads the log until a restart, but the checker does.
      flipByte(logOf(file), recordOffsets(logOf(file)).get(1) + 100);
      assertThat(db.check())
          .hasSize(1)
          .allMatch(p -> p.severity() == DbProblem.Severity.COMMIT)
          .allMatch(p -> p.kind().contains("write-ahead log"));
    }
  }

  @Test
  void shouldReportAMetaPageNewerThanTheLogsChain() throws Exception {
    Path file = dir.resolve("chain.db");
    long last;
    try (Db db = Db.open(file)) {
      for (int i = 0; i < 3; i++) {
        String value = "v" + i;
        db.update(tx -> tx.createBucketIfAbsent("b").put("k", value));
      }
      last = db.read(Tx::id);
    }
    // Damage the last record's magic: the chain now ends before it, but its meta page is on disk.
    long lastRecord = recordOffsets(logOf(file)).get(2);
    flipByte(logOf(file), lastRecord);
    forgetBoot(file);
    try (Db db = Db.open(file)) {
      DiscardedCommit discarded = db.discardedCommit().orElseThrow();
      assertThat(discarded.txid()).isEqualTo(last);
      assertThat(read(db, "k")).isEqualTo("v1");
      assertThat(db.check()).hasSize(1);
    }
  }

  @Test
  void shouldNeverReplayALogLeftBesideAnotherFile() throws Exception {
    Path file = dir.resolve("live.db");
    Path copy = dir.resolve("copy.db");
    try (Db db = Db.open(file)) {
      db.update(tx -> tx.createBucketIfAbsent("b").put("k", "copied"));
      db.backupTo(copy);
      for (int i = 0; i < 20; i++) {
        String value = "later-" + i;
        db.update(tx -> tx.bucket("b").put("k", value));
      }
    }
    // Restore the backup over the database, leaving the database's log (and its records) behind.
    Files.move(copy, file, StandardCopyOption.REPLACE_EXISTING);
    try (Db db = Db.open(file)) {
      assertThat(read(db, "k")).isEqualTo("copied");
      db.update(tx -> tx.bucket("b").put("k2", "after restore"));
    }
    forgetBoot(file);
    try (Db db = Db.open(file)) {
      assertThat(read(db, "k")).isEqualTo("copied");
      assertThat(read(db, "k2")).isEqualTo("after restore");
      assertThat(db.discardedCommit()).isEmpty();
      assertThat(db.check()).isEmpty();
    }
  }

  @Test
  void shouldKeepACheckpointWhoseHeaderWriteWasCutShort() throws Exception {
    Path file = dir.resolve("header.db");
    PowerLossDisk disk = new PowerLossDisk(file, 4);
    Path log = logOf(file);
    AtomicBoolean failHeaderWrite = new AtomicBoolean();
    PageFile.Opener opener =
        (path, writable) -> {
          PageFile layer = disk.open(path, writable);
          return !path.equals(log)
              ? layer
              : new ForwardingPageFile(layer) {
                @Override
                public void write(ByteBuffer source, long position) throws IOException {
                  if (position < 2L * PAGE && failHeaderWrite.getAndSet(false)) {
                    throw new IOException("simulated crash before the header write");
                  }
                  super.write(source, position);
                }
              };
        };
    DbOptions options = DbOptions.defaults().logSize(ONE_MIB);
    byte[] large = new byte[(int) ONE_MIB / 2];
    try (Db db = Db.open(file, options, opener)) {
      db.update(tx -> tx.createBucketIfAbsent("b").put("k", "0"));
      failHeaderWrite.set(true);
      assertThatThrownBy(() -> db.update(tx -> tx.bucket("b").put("large".getBytes(), large)))
          .isInstanceOf(dev.mmkit.core.MmkitException.class);
      // The checkpoint's meta page was written before its header: the next commit builds on it
      // and must first make it the header, or its record would not chain from the header.
      db.update(tx -> tx.bucket("b").put("k", "after"));
      assertThat(read(db, "k")).isEqualTo("after");
    }
    disk.powerCycleLosingEverythingUnflushed();
    try (Db db = Db.open(file, options, disk::open)) {
      assertThat(read(db, "k")).isEqualTo("after");
      assertThat(readBytes(db, "large")).isEqualTo(large);
      assertThat(db.check()).isEmpty();
    }
  }

  @Test
  void shouldOpenReadOnlyAfterARestartByRecoveringFirst() throws Exception {
    Path file = dir.resolve("readonly.db");
    PowerLossDisk disk = new PowerLossDisk(file, 5);
    try (Db db = Db.open(file, DbOptions.defaults(), disk::open)) {
      for (int i = 0; i < 10; i++) {
        String value = "v" + i;
        db.update(tx -> tx.createBucketIfAbsent("b").put("k", value));
      }
    }
    disk.powerCycleLosingEverythingUnflushed();
    try (Db db = Db.open(file, DbOptions.defaults().readOnly(true), disk::open)) {
      assertThat(read(db, "k")).isEqualTo("v9");
      assertThat(db.check()).isEmpty();
    }
  }

  private static Path logOf(Path file) {
    return file.resolveSibling(file.getFileName() + "-wal");
  }

  /** Returns the higher txid of the two meta pages of the data file, read without the store. */
  private static long newestMetaTxid(Path file) throws IOException {
    return Math.max(longAt(file, PageLayout.TXID), longAt(file, PAGE + PageLayout.TXID));
  }

  /** Returns the higher txid of the log's two header slots. */
  private static long headerTxid(Path log) throws IOException {
    return Math.max(longAt(log, PageLayout.TXID), longAt(log, PAGE + PageLayout.TXID));
  }

  /** Returns the offsets of the records of the log's chain, read by their length fields. */
  private static List<Long> recordOffsets(Path log) throws IOException {
    List<Long> offsets = new ArrayList<>();
    long header = headerTxid(log);
    long at = 2L * PAGE;
    long base = header;
    while (at + 40 <= Files.size(log)) {
      if (longAt(log, at + 16) != base || longAt(log, at + 8) <= base) {
        break;
      }
      offsets.add(at);
      base = longAt(log, at + 8);
      at += longAt(log, at + 24);
    }
    return offsets;
  }

  private static long longAt(Path file, long offset) throws IOException {
    try (PageFile f = FileChannelPageFile.open(file, false)) {
      ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
      f.read(b, offset);
      return b.getLong(0);
    }
  }

  private static void flipByte(Path file, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.seek(offset);
      int b = f.read();
      f.seek(offset);
      f.write(b ^ 0x5A);
    }
  }

  private static void writeLong(Path file, long offset, long value) throws IOException {
    try (PageFile f = FileChannelPageFile.open(file, true)) {
      f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value), offset);
    }
  }

  /** Makes the lock file say the machine restarted since the last writer. */
  private static void forgetBoot(Path file) throws IOException {
    try (RandomAccessFile lock =
        new RandomAccessFile(file.resolveSibling(file.getFileName() + "-lock").toFile(), "rw")) {
      lock.seek(LockFileLayout.BOOT_ID);
      lock.write(new byte[16]);
    }
  }

  private static Map<String, String> contents(Db db, String bucket) {
    TreeMap<String, String> found = new TreeMap<>();
    db.view(
        tx -> {
          Bucket b = tx.bucket(bucket);
          if (b == null) {
            return;
          }
          Cursor c = b.cursor();
          for (boolean ok = c.first(); ok; ok = c.next()) {
            found.put(new String(c.keyBytes()), new String(c.valueBytes()));
          }
        });
    return found;
  }

  private static String read(Db db, String key) {
    byte[] v = readBytes(db, key);
    return v == null ? null : new String(v);
  }

  private static byte[] readBytes(Db db, String key) {
    return db.read(tx -> tx.bucket("b").getBytes(key.getBytes()));
  }
}
