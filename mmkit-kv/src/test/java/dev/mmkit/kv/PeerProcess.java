package dev.mmkit.kv;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * PeerProcess is the child JVM of {@link MultiProcessTest}. Roles:
 *
 * <ul>
 *   <li>{@code reader DB MILLIS}: reads snapshots in a loop and checks the invariant the writer
 *       keeps (the accounts sum to {@link #TOTAL}, the {@code n} key counts the transfers made);
 *       prints {@code ok TXID} per snapshot, {@code BAD ...} on a violation, {@code done N} at the
 *       end.
 *   <li>{@code hold DB}: opens a read transaction, prints {@code holding TXID} and waits forever.
 *   <li>{@code hold-writer DB}: begins a write transaction, prints {@code writing PID} and waits
 *       forever.
 *   <li>{@code increment DB N}: runs N write transactions that each add 1 to counter {@code c}.
 * </ul>
 */
public final class PeerProcess {
  static final long TOTAL = 1_000_000;
  static final int ACCOUNTS = 200;

  private PeerProcess() {}

  /** Runs the role named by the first argument. */
  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[1]);
    try (Db db = Db.open(file, DbOptions.defaults().durability(Durability.NO_SYNC))) {
      switch (args[0]) {
        case "reader" -> read(db, Long.parseLong(args[2]));
        case "hold" -> hold(db);
        case "hold-writer" -> holdWriter(db);
        case "increment" -> increment(db, Integer.parseInt(args[2]));
        default -> throw new IllegalArgumentException(args[0]);
      }
    }
  }

  private static void read(Db db, long millis) {
    long end = System.currentTimeMillis() + millis;
    long snapshots = 0;
    System.out.println("ready");
    System.out.flush();
    while (System.currentTimeMillis() < end) {
      db.view(
          tx -> {
            Bucket b = tx.bucket("bank");
            if (b == null) {
              return;
            }
            long sum = 0;
            long count = 0;
            Cursor c = b.cursor();
            for (boolean ok = c.first(); ok; ok = c.next()) {
              byte[] k = c.keyBytes();
              if (k[0] == 'a') {
                sum += ByteBuffer.wrap(c.valueBytes()).getLong();
                count++;
              }
            }
            long n = ByteBuffer.wrap(b.getBytes("n".getBytes())).getLong();
            long transfers = ByteBuffer.wrap(tx.bucket("log").getBytes("n".getBytes())).getLong();
            if (sum != TOTAL
                || count != ACCOUNTS
                || n != transfers
                || tx.bucket("log").count() != n + 1) {
              System.out.println(
                  "BAD txid=" + tx.id() + " sum=" + sum + " count=" + count + " n=" + n);
            } else {
              System.out.println("ok " + tx.id());
            }
          });
      snapshots++;
    }
    System.out.println("done " + snapshots);
    System.out.flush();
  }

  private static void hold(Db db) throws InterruptedException {
    try (Tx tx = db.beginRead()) {
      System.out.println("holding " + tx.id());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  private static void holdWriter(Db db) throws InterruptedException {
    try (Tx tx = db.beginWrite()) {
      System.out.println("writing " + ProcessHandle.current().pid() + " at txid " + tx.id());
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
  }

  private static void increment(Db db, int times) {
    System.out.println("ready");
    System.out.flush();
    for (int i = 0; i < times; i++) {
      db.update(
          tx -> {
            Bucket b = tx.createBucketIfAbsent("counter");
            byte[] v = b.getBytes("c".getBytes());
            long n = v == null ? 0 : ByteBuffer.wrap(v).getLong();
            b.put("c".getBytes(), ByteBuffer.allocate(8).putLong(n + 1).array());
          });
    }
    System.out.println("done " + times);
    System.out.flush();
  }
}
