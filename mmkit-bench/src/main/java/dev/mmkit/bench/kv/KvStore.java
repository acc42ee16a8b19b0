package dev.mmkit.bench.kv;

import java.io.IOException;
import java.util.List;

/**
 * KvStore is the small adapter every key-value store under test implements, so the benchmarks run
 * the same operations on the same data in every store. Adding a store is one class and one line in
 * {@link KvStores}.
 *
 * <p>Each adapter uses its store the way the store's documentation recommends for speed, and says
 * how in {@link #configuration()} and what a commit promises in {@link #durability()}.
 */
public interface KvStore extends AutoCloseable {

  /** Returns the store's name in tables, e.g. {@code lmdbjava}. */
  String name();

  /** Returns how the store is configured, one line. */
  String configuration();

  /** Returns what a commit promises by default (the store's default durability), one line. */
  String durability();

  /**
   * Inserts {@code order.length} pairs, pair {@code order[i]} i-th, in one transaction, and commits
   * it with the store's durable commit.
   */
  void load(int[] order) throws IOException;

  /** Inserts or replaces one pair and commits it durably (on disk when this returns). */
  void putDurable(byte[] key, byte[] value) throws IOException;

  /**
   * Inserts or replaces one pair durably, called from many threads at once: each call returns once
   * its own pair is on disk. Each store uses what it offers for concurrent writers (group commit
   * where it has one); stores that take no concurrent writers throw, and {@link
   * KvStores#CONCURRENT_WRITERS} leaves them out of that benchmark.
   */
  default void putDurableShared(byte[] key, byte[] value) throws IOException {
    throw new UnsupportedOperationException("no concurrent writers: store=" + name());
  }

  /**
   * Looks {@code key} up and returns {@link KvDataset#digest} of its value, or -1 when absent. The
   * value must be read (not only found).
   */
  long get(byte[] key);

  /** Reads every pair in key order and returns the number of pairs plus the sum of digests. */
  long scan();

  /**
   * Runs the store's own integrity checker, if it has one, and returns the problems it reports:
   * empty when the store is sound or has no checker ({@link #checker()} says which).
   */
  default List<String> integrityProblems() throws IOException {
    return List.of();
  }

  /** Returns what {@link #integrityProblems()} runs, one line. */
  default String checker() {
    return "none (contents verified by a full scan and sampled gets)";
  }

  /** Makes sure everything written is on disk, for measuring file sizes. */
  void flush() throws IOException;

  @Override
  void close() throws IOException;
}
