package dev.mmkit.cli.kv;

import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Cursor;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.Map;

/**
 * TreeDump is the text form of a bucket with everything nested in it, which {@code dump
 * --recursive} writes and {@code load --recursive} reads: one line per bucket, then one line per
 * entry of it, buckets in key order, depth first.
 *
 * <pre>
 * B &lt;tab&gt; PATH &lt;tab&gt; SEQUENCE             a bucket (load creates it even when empty)
 * E &lt;tab&gt; PATH &lt;tab&gt; KEY &lt;tab&gt; VALUE      an entry of the bucket at PATH
 * </pre>
 *
 * <p>PATH names a bucket below the one dumped, its parts joined by {@code /}, each part escaped as
 * keys are ({@link TsvFormat}) with a {@code /} inside a name written {@code \x2f}; the bucket
 * dumped itself has the empty path. SEQUENCE is the bucket's sequence number in decimal.
 */
final class TreeDump {
  private TreeDump() {}

  /** Writes {@code bucket} and everything below it to {@code out}. */
  static void write(Bucket bucket, PrintWriter out) {
    write(bucket, "", out);
  }

  private static void write(Bucket bucket, String path, PrintWriter out) {
    out.println("B\t" + path + "\t" + bucket.sequence());
    Cursor c = bucket.cursor();
    StringBuilder line = new StringBuilder();
    for (boolean ok = c.first(); ok; ok = c.next()) {
      line.setLength(0);
      line.append("E\t")
          .append(path)
          .append('\t')
          .append(TsvFormat.escape(c.keyBytes()))
          .append('\t')
          .append(TsvFormat.escape(c.valueBytes()));
      out.println(line);
    }
    for (byte[] name : bucket.bucketNames()) {
      String part = TsvFormat.escape(name).replace("/", "\\x2f");
      write(bucket.bucket(name), path.isEmpty() ? part : path + "/" + part, out);
    }
  }

  /**
   * Reader applies the lines of a dump to a bucket of one write transaction at a time, creating the
   * buckets it names below it.
   */
  static final class Reader {
    private final Map<String, Bucket> buckets = new HashMap<>();

    /** Forgets the buckets of the previous transaction; the next line starts from {@code top}. */
    void start(Bucket top) {
      buckets.clear();
      buckets.put("", top);
    }

    /**
     * Applies one line; returns whether it was an entry.
     *
     * @throws IllegalArgumentException when the line is not of the format
     */
    boolean apply(String line) {
      String[] fields = line.split("\t", -1);
      boolean entry = fields.length == 4 && fields[0].equals("E");
      boolean bucket = fields.length == 3 && fields[0].equals("B");
      if (!entry && !bucket) {
        throw new IllegalArgumentException(
            "not a line of a recursive dump (B or E, then 2 or 3 tab-separated fields)");
      }
      Bucket target = bucket(fields[1]);
      if (entry) {
        target.put(TsvFormat.unescape(fields[2]), TsvFormat.unescape(fields[3]));
      } else {
        target.setSequence(Long.parseLong(fields[2]));
      }
      return entry;
    }

    private Bucket bucket(String path) {
      Bucket known = buckets.get(path);
      if (known != null) {
        return known;
      }
      int slash = path.lastIndexOf('/');
      Bucket parent = bucket(slash < 0 ? "" : path.substring(0, slash));
      Bucket b = parent.createBucketIfAbsent(TsvFormat.unescape(path.substring(slash + 1)));
      buckets.put(path, b);
      return b;
    }
  }
}
