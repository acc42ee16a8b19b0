package dev.mmkit.bench.kv;

import java.util.SplittableRandom;

/**
 * KvDataset is the data every key-value store gets, derived from one seed: {@code entries} pairs of
 * a 16-byte key and a 100-byte value, and the random order they are loaded in.
 *
 * <p>Key {@code i} is an 8-byte scrambled form of {@code i} followed by {@code i} itself, both big
 * endian, so keys are unique, sort in an order unrelated to {@code i}, and can be rebuilt from
 * {@code i} alone without holding them all in memory.
 */
public final class KvDataset {
  /** Key length in bytes. */
  public static final int KEY_BYTES = 16;

  /** Value length in bytes. */
  public static final int VALUE_BYTES = 100;

  private static final long SEED = 0x6b76L;

  private final int entries;

  /** Creates the dataset of {@code entries} pairs. */
  public KvDataset(int entries) {
    if (entries <= 0) {
      throw new IllegalArgumentException("entries must be positive: entries=" + entries);
    }
    this.entries = entries;
  }

  /** Returns the number of pairs. */
  public int entries() {
    return entries;
  }

  /** Writes key {@code i} into {@code key} (at least 16 bytes) and returns it. */
  public static byte[] key(long i, byte[] key) {
    putLong(key, 0, scramble(i));
    putLong(key, 8, i);
    return key;
  }

  /** Writes value {@code i} into {@code value} (at least 100 bytes) and returns it. */
  public static byte[] value(long i, byte[] value) {
    long state = scramble(i ^ SEED);
    for (int at = 0; at < VALUE_BYTES; at += 8) {
      state = scramble(state);
      for (int b = 0; b < 8 && at + b < VALUE_BYTES; b++) {
        value[at + b] = (byte) (state >>> (56 - 8 * b));
      }
    }
    return value;
  }

  /** Returns the indexes 0..entries-1 in the random order a bulk load inserts them. */
  public int[] loadOrder() {
    int[] order = new int[entries];
    for (int i = 0; i < entries; i++) {
      order[i] = i;
    }
    SplittableRandom random = new SplittableRandom(SEED);
    for (int i = entries - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int swap = order[i];
      order[i] = order[j];
      order[j] = swap;
    }
    return order;
  }

  /**
   * Returns the digest of a value that every store's {@code get} returns: its first 8 bytes as a
   * big-endian long, xor its length.
   */
  public static long digest(byte[] value, int offset, int length) {
    long first = 0;
    for (int b = 0; b < 8 && b < length; b++) {
      first = (first << 8) | (value[offset + b] & 0xff);
    }
    return first ^ length;
  }

  private static long scramble(long x) {
    long z = x + 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  private static void putLong(byte[] bytes, int at, long value) {
    for (int b = 0; b < 8; b++) {
      bytes[at + b] = (byte) (value >>> (56 - 8 * b));
    }
  }
}
