package dev.mmkit.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PowerLossTest cuts the power at random writes and flushes through {@link PowerLossDisk}, which
 * keeps what was flushed and any part of the rest (any subset of sectors, any order, pages torn at
 * sector boundaries), then reopens the database. In the default mode it must hold exactly the last
 * acknowledged commit or the one in flight, pass its check, and report a commit set aside only when
 * that was the one in flight. Without flushes it must open at one of the commits made since the
 * last power loss, or refuse to open with {@link CorruptDbException} — never give a wrong answer.
 */
class PowerLossTest {
  @TempDir Path dir;

  @Test
  void shouldLoseNothingAcknowledgedInSyncMode() throws Exception {
    run(Durability.SYNC, 300, 21);
  }

  @Test
  void shouldOpenAtAnEarlierCommitOrRefuseWithoutFlushes() throws Exception {
    run(Durability.NO_SYNC, 60, 22);
  }

  @Test
  void shouldLoseNothingAcknowledgedBesideAFragmentedFreeSet() throws Exception {
    runFragmented(120, 24);
  }

  @Test
  @Tag("soak")
  void shouldLoseNothingAcknowledgedBesideAFragmentedFreeSetAcrossThousandsOfPowerLosses()
      throws Exception {
    runFragmented(2_000, 25);
  }

  @Test
  @Tag("soak")
  void shouldLoseNothingAcknowledgedAcrossTenThousandPowerLosses() throws Exception {
    run(Durability.SYNC, 10_000, 23);
  }

  @Test
  @Tag("soak")
  void shouldNeverAnswerWronglyWithoutFlushesAcrossThousandsOfPowerLosses() throws Exception {
    run(Durability.NO_SYNC, 3_000, 29);
  }

  /** What the test knows of the database between power losses. */
  private static final class History {
    TreeMap<byte[], byte[]> acknowledged = new TreeMap<>(Arrays::compareUnsigned);
    long acknowledgedTxid = -1;
    TreeMap<byte[], byte[]> inFlight;
    long inFlightTxid = -1;

    /** Every state committed since the last power loss, for the mode without flushes. */
    final List<TreeMap<byte[], byte[]>> sincePowerLoss = new ArrayList<>();
  }

  private void run(Durability durability, int cycles, long seed) throws Exception {
    new Cycles(dir.resolve("power.db"), durability, seed, false).run(cycles);
  }

  /**
   * Runs the default mode beside a bucket that leaves thousands of one-page free runs, so that the
   * freelist's checkpoint spans several pages and long chains of deltas follow it; asserts that
   * such a chain was reached.
   */
  private void runFragmented(int cycles, long seed) throws Exception {
    Cycles c = new Cycles(dir.resolve("power.db"), Durability.SYNC, seed, true);
    c.run(cycles);
    System.out.printf("longest freelist chain=%d pages%n", c.longestFreelist);
    assertThat(c.longestFreelist)
        .as("pages in the longest freelist chain seen (a multi-page checkpoint and its deltas)")
        .isGreaterThanOrEqualTo(20);
  }

  /** Cycles runs one sequence of power losses and counts what happened. */
  private static final class Cycles {
    private final Path file;
    private final Durability durability;
    private final long seed;
    private final Random random;
    private final boolean fragmented;
    private PowerLossDisk disk;
    private History h = new History();
    private long commits;
    private int setAside;
    private int refused;
    private int losses;
    long longestFreelist;

    Cycles(Path file, Durability durability, long seed, boolean fragmented) throws Exception {
      this.file = file;
      this.durability = durability;
      this.seed = seed;
      this.fragmented = fragmented;
      this.random = new Random(seed);
      this.disk = new PowerLossDisk(file, seed);
      h.sincePowerLoss.add(h.acknowledged);
    }

    void run(int cycles) throws Exception {
      DbOptions options = DbOptions.defaults().durability(durability);
      for (int cycle = 0; cycle < cycles; cycle++) {
        boolean failedLoudly = false;
        try (Db db = Db.open(file, options, disk::open)) {
          TreeMap<byte[], byte[]> found = verifyAfterPowerLoss(cycle, db);
          failedLoudly = found == null;
          if (!failedLoudly) {
            if (fragmented) {
              fragmentOnce(db);
              longestFreelist = Math.max(longestFreelist, db.stats().freelistPages());
            }
            startOver(db, found);
            commitUntilThePowerGoes(cycle, db);
          }
        } catch (CorruptDbException refusedToOpen) {
          assertThat(durability)
              .as("cycle %d: refused to open: %s", cycle, refusedToOpen.getMessage())
              .isEqualTo(Durability.NO_SYNC);
          failedLoudly = true;
        }
        if (failedLoudly) {
          newFile(cycle);
          continue;
        }
        disk.powerCycle();
      }
      losses += disk.losses();
      System.out.printf(
          "power losses=%d, commits acknowledged=%d, commits set aside at open=%d, refused=%d,"
              + " mode=%s%n",
          losses, commits, setAside, refused, durability);
      // Without flushes, some cycles end early in a loud failure instead of a power loss.
      assertThat(losses).isGreaterThan(durability == Durability.SYNC ? cycles / 2 : cycles / 5);
      assertThat(setAside).as("some cuts left a commit to set aside").isPositive();
      if (durability == Durability.NO_SYNC) {
        assertThat(refused).as("some opens succeeded").isLessThan(cycles / 2);
      }
    }

    /** Returns the contents found, or null when a database without flushes failed loudly. */
    private TreeMap<byte[], byte[]> verifyAfterPowerLoss(int cycle, Db db) throws Exception {
      if (db.discardedCommit().isPresent()) {
        setAside++;
      }
      if (durability == Durability.SYNC) {
        TreeMap<byte[], byte[]> found = contents(db);
        verifySync(cycle, db, found, h);
        return found;
      }
      TreeMap<byte[], byte[]> found;
      try {
        found = contents(db);
      } catch (CorruptDbException loud) {
        return null;
      }
      assertThat(h.sincePowerLoss.stream().anyMatch(state -> same(found, state)))
          .as("cycle %d: state is one of the commits since the last power loss", cycle)
          .isTrue();
      return found;
    }

    /**
     * Fills a bucket of its own (the model never reads it; the checker does) with values that take
     * one overflow page each, then deletes every other one: thousands of free runs of one page.
     * Runs once per file, with the power on.
     */
    private static void fragmentOnce(Db db) {
      if (db.read(tx -> tx.bucket("ballast") != null)) {
        return;
      }
      byte[] value = new byte[3000];
      db.update(
          tx -> {
            Bucket b = tx.createBucketIfAbsent("ballast");
            for (int i = 0; i < 6000; i++) {
              b.put(ByteBuffer.allocate(4).putInt(i).array(), value);
            }
          });
      db.update(
          tx -> {
            Bucket b = tx.bucket("ballast");
            for (int i = 0; i < 6000; i += 2) {
              b.delete(ByteBuffer.allocate(4).putInt(i).array());
            }
          });
    }

    private void startOver(Db db, TreeMap<byte[], byte[]> found) {
      h.acknowledged = found;
      h.acknowledgedTxid = db.read(Tx::id);
      h.inFlight = null;
      h.inFlightTxid = -1;
      h.sincePowerLoss.clear();
      h.sincePowerLoss.add(found);
    }

    private void commitUntilThePowerGoes(int cycle, Db db) {
      if (durability == Durability.SYNC && random.nextBoolean()) {
        disk.armAtFlush(1 + random.nextInt(40));
      } else {
        disk.arm(1 + random.nextInt(120));
      }
      try {
        for (int i = 0; i < 40; i++) {
          TreeMap<byte[], byte[]> next = new TreeMap<>(h.acknowledged);
          Map<byte[], byte[]> change = change(random, next);
          h.inFlight = next;
          h.inFlightTxid = -1;
          h.sincePowerLoss.add(next);
          db.update(
              tx -> {
                h.inFlightTxid = tx.id(); // not always acknowledged + 1: see StoreWriter.nextTxid
                apply(tx, change);
              });
          h.acknowledged = next;
          h.acknowledgedTxid = db.read(Tx::id);
          h.inFlight = null;
          commits++;
        }
      } catch (PowerLossDisk.PowerLoss expected) {
        // The power went mid-commit; the disk decides below what survived.
      } catch (CorruptDbException loud) {
        // Without flushes, older pages a commit builds on may never have reached the disk.
        assertThat(durability)
            .as("cycle %d: %s", cycle, loud.getMessage())
            .isEqualTo(Durability.NO_SYNC);
      }
    }

    /** Gives up a file that lost too much without flushes and failed loudly; starts a new one. */
    private void newFile(int cycle) throws Exception {
      refused++;
      losses += disk.losses();
      java.nio.file.Files.delete(file);
      disk = new PowerLossDisk(file, seed + cycle);
      h = new History();
      h.sincePowerLoss.add(h.acknowledged);
    }
  }

  /**
   * In the default mode the database holds the last acknowledged commit or the one in flight;
   * anything set aside is a commit never acknowledged (or an unreadable meta page), and it is the
   * only problem the checker reports.
   */
  private static void verifySync(int cycle, Db db, TreeMap<byte[], byte[]> found, History h) {
    long txid = db.read(Tx::id);
    boolean unknownTxid = h.acknowledgedTxid < 0; // a new database: no commit acknowledged yet
    boolean atAcknowledged =
        same(found, h.acknowledged) && (unknownTxid || txid == h.acknowledgedTxid);
    boolean atInFlight = same(found, h.inFlight) && txid == h.inFlightTxid;
    assertThat(atAcknowledged || atInFlight)
        .as(
            "cycle %d: state is the last acknowledged commit (txid %d) or the one in flight (%d):"
                + " found %d keys at txid %d",
            cycle, h.acknowledgedTxid, h.inFlightTxid, found.size(), txid)
        .isTrue();
    List<DbProblem> problems = db.check();
    DiscardedCommit discarded = db.discardedCommit().orElse(null);
    if (discarded == null) {
      assertThat(problems).as("cycle %d", cycle).isEmpty();
      return;
    }
    // What is set aside was never acknowledged: the commit in flight, or an earlier one that was
    // in flight and set aside before, whose meta page the commits since never got to overwrite.
    assertThat(discarded.txid())
        .as("cycle %d: what was set aside: %s", cycle, discarded)
        .satisfiesAnyOf(t -> assertThat(t).isEqualTo(-1L), t -> assertThat(t).isGreaterThan(txid));
    assertThat(discarded.openedTxid()).isEqualTo(txid);
    assertThat(problems)
        .as("cycle %d: the set-aside commit is the only problem", cycle)
        .hasSize(1)
        .allMatch(p -> p.severity() == DbProblem.Severity.COMMIT);
  }

  private static void apply(Tx tx, Map<byte[], byte[]> change) {
    Bucket b = tx.createBucketIfAbsent("p");
    for (Map.Entry<byte[], byte[]> e : change.entrySet()) {
      if (e.getValue() == null) {
        b.delete(e.getKey());
      } else {
        b.put(e.getKey(), e.getValue());
      }
    }
  }

  private static boolean same(TreeMap<byte[], byte[]> a, TreeMap<byte[], byte[]> b) {
    if (b == null || a.size() != b.size()) {
      return false;
    }
    for (Map.Entry<byte[], byte[]> e : a.entrySet()) {
      if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
        return false;
      }
    }
    return true;
  }

  private static TreeMap<byte[], byte[]> contents(Db db) {
    TreeMap<byte[], byte[]> found = new TreeMap<>(Arrays::compareUnsigned);
    db.view(
        tx -> {
          Bucket b = tx.bucket("p");
          if (b == null) {
            return;
          }
          Cursor c = b.cursor();
          for (boolean ok = c.first(); ok; ok = c.next()) {
            found.put(c.keyBytes(), c.valueBytes());
          }
          assertThat(b.count()).isEqualTo(found.size());
        });
    return found;
  }

  /** Returns a random change (null value = delete) and applies it to {@code model}. */
  private static Map<byte[], byte[]> change(Random random, TreeMap<byte[], byte[]> model) {
    Map<byte[], byte[]> change = new TreeMap<>(Arrays::compareUnsigned);
    int n = 1 + random.nextInt(30);
    for (int i = 0; i < n; i++) {
      byte[] key = ByteBuffer.allocate(4).putInt(random.nextInt(2000)).array();
      if (random.nextInt(4) == 0) {
        change.put(key, null);
        model.remove(key);
      } else {
        byte[] value = new byte[random.nextInt(50) == 0 ? 9000 : random.nextInt(300)];
        random.nextBytes(value);
        change.put(key, value);
        model.put(key, value);
      }
    }
    return change;
  }
}
