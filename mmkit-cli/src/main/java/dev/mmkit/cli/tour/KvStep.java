package dev.mmkit.cli.tour;

import dev.mmkit.cli.Sizes;
import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Cursor;
import dev.mmkit.kv.Db;
import dev.mmkit.kv.DbProblem;
import dev.mmkit.kv.DbStats;
import dev.mmkit.kv.Tx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * KvStep shows the key-value store: a bulk load, durable commits, zero-copy random reads and a scan
 * through the mapping, then a writer process killed with SIGKILL mid-stream and every acknowledged
 * commit found intact afterwards.
 */
public final class KvStep implements TourStep {
  private static final int ENTRIES = 100_000;
  private static final int COMMITS = 100;
  private static final long CRASH_AFTER_MILLIS = 800;

  @Override
  public String title() {
    return "A memory-mapped key-value store: transactions, zero-copy reads, surviving kill -9";
  }

  @Override
  public void run(TourContext context) throws Exception {
    Path file = context.directory().resolve("tour.db");
    try (Db db = Db.open(file)) {
      byte[] value = new byte[100];
      long start = System.nanoTime();
      db.update(
          tx -> {
            Bucket b = tx.createBucketIfAbsent("users");
            for (int i = 0; i < ENTRIES; i++) {
              b.put(key(i), value);
            }
          });
      long load = System.nanoTime() - start;
      context.say(
          "loaded %,d keys (16-byte keys, 100-byte values) in one transaction: %s",
          ENTRIES, Sizes.nanos(load));
      start = System.nanoTime();
      for (int i = 0; i < COMMITS; i++) {
        int n = i;
        db.update(tx -> tx.bucket("users").put(key(n), key(n)));
      }
      context.say(
          "%d durable commits of one put each (pages written, their record appended to the"
              + " write-ahead log, one flush of the log): %s per commit",
          COMMITS, Sizes.nanos((System.nanoTime() - start) / (double) COMMITS));
      readAndScan(context, db);
      DbStats stats = db.stats();
      context.say(
          "%,d pages (%s; the file grows ahead in steps and is trimmed at close), fill %.0f%%,"
              + " tree depth %d; check: %s",
          stats.pageCount(),
          Sizes.bytes(stats.pageCount() * stats.pageSize()),
          stats.fill() * 100,
          stats.depth(),
          db.check().isEmpty() ? "sound" : "PROBLEMS");
    }
    crash(context, context.directory().resolve("crash.db"));
  }

  private static void readAndScan(TourContext context, Db db) {
    SplittableRandom random = new SplittableRandom(1);
    long sum = 0;
    int gets = 200_000;
    long start = System.nanoTime();
    try (Tx tx = db.beginRead()) {
      Bucket b = tx.bucket("users");
      for (int i = 0; i < gets; i++) {
        sum += b.get(key(random.nextInt(ENTRIES))).byteSize();
      }
    }
    long getNanos = System.nanoTime() - start;
    start = System.nanoTime();
    long entries = 0;
    try (Tx tx = db.beginRead()) {
      Cursor c = tx.bucket("users").cursor();
      for (boolean ok = c.first(); ok; ok = c.next()) {
        sum += c.value().byteSize();
        entries++;
      }
    }
    long scanNanos = System.nanoTime() - start;
    context.say(
        "%,d random gets: %s each, values read in place from the mapping (checksummed once)",
        gets, Sizes.nanos(getNanos / (double) gets));
    context.say(
        "scanned %,d entries in %s (%,.0f entries/s)%s",
        entries, Sizes.nanos(scanNanos), entries * 1e9 / scanNanos, sum == 0 ? "" : "");
  }

  private static void crash(TourContext context, Path file) throws Exception {
    Process peer = context.startPeer(KvTourPeer.class, file.toString());
    long acknowledged = -1;
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    long killAt = Long.MAX_VALUE;
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
    for (String line;
        System.nanoTime() < Math.min(deadline, killAt) && (line = lines.readLine()) != null; ) {
      acknowledged = Long.parseLong(line.substring("committed ".length()));
      if (killAt == Long.MAX_VALUE) {
        killAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CRASH_AFTER_MILLIS);
      }
    }
    peer.destroyForcibly();
    peer.waitFor();
    context.say(
        "a second process made %,d durable commits, then was killed with SIGKILL mid-stream",
        acknowledged + 1);
    try (Db db = Db.open(file)) {
      long present = db.read(tx -> tx.bucket("crash") == null ? 0L : tx.bucket("crash").count());
      List<DbProblem> problems = db.check();
      context.say(
          "reopened: %,d keys present (every acknowledged commit: %s), check: %s",
          present,
          present >= acknowledged + 1 ? "yes" : "NO",
          problems.isEmpty() ? "sound" : problems);
      if (present < acknowledged + 1 || !problems.isEmpty()) {
        throw new IllegalStateException("acknowledged commits lost or file unsound");
      }
    }
  }

  static byte[] key(long n) {
    return ByteBuffer.allocate(16).putLong(0, n * 0x9E3779B97F4A7C15L).putLong(8, n).array();
  }
}
