package dev.mmkit.cli.tour;

import dev.mmkit.kv.Db;
import java.nio.file.Path;

/**
 * KvTourPeer is the second process of {@link KvStep}: it stores one key per durable commit and
 * prints {@code committed N} after each commit returns, until it is killed.
 */
public final class KvTourPeer {
  private KvTourPeer() {}

  /** Argument: the database path. */
  public static void main(String[] args) {
    try (Db db = Db.open(Path.of(args[0]))) {
      for (long n = 0; ; n++) {
        long key = n;
        db.update(tx -> tx.createBucketIfAbsent("crash").put(KvStep.key(key), KvStep.key(key)));
        System.out.println("committed " + n);
        System.out.flush();
      }
    }
  }
}
