package dev.mmkit.kv;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;

/**
 * NoNativeAccessMain runs in a child JVM started without native access: it writes, reads and checks
 * a database, keeps a view past its transaction (a copy there), and prints {@code ok}.
 */
public final class NoNativeAccessMain {
  private NoNativeAccessMain() {}

  /** Argument: database path. */
  public static void main(String[] args) {
    try (Db db = Db.open(Path.of(args[0]))) {
      db.update(
          tx -> {
            Bucket b = tx.createBucketIfAbsent("b");
            for (int i = 0; i < 5000; i++) {
              b.put(("k" + i).getBytes(), ("v" + i).getBytes());
            }
          });
      MemorySegment[] kept = new MemorySegment[1];
      db.view(tx -> kept[0] = tx.bucket("b").get("k42".getBytes()));
      String v = new String(kept[0].toArray(ValueLayout.JAVA_BYTE));
      if (!v.equals("v42") || !db.check().isEmpty()) {
        throw new AssertionError("fallback mode broken: value=" + v);
      }
      System.out.println("ok " + db.stats().keys());
    }
  }
}
