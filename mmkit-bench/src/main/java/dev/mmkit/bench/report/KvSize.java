package dev.mmkit.bench.report;

/**
 * KvSize is a store's size on disk after the bulk load.
 *
 * @param store the store's name
 * @param entries the pairs loaded
 * @param apparentBytes the sum of its files' sizes
 * @param allocatedBytes the disk blocks its files occupy ({@code du}), or -1
 */
public record KvSize(String store, int entries, long apparentBytes, long allocatedBytes) {

  /** Parses one line of {@code kv-sizes.tsv}. */
  public static KvSize parse(String line) {
    String[] fields = line.split("\t");
    return new KvSize(
        fields[0],
        Integer.parseInt(fields[1]),
        Long.parseLong(fields[2]),
        Long.parseLong(fields[3]));
  }
}
