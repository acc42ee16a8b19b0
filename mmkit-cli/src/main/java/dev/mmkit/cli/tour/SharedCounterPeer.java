package dev.mmkit.cli.tour;

import dev.mmkit.core.Futex;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.MappingAtomics;
import dev.mmkit.core.SharedLock;
import dev.mmkit.core.SharedMemory;
import java.nio.file.Path;
import java.time.Duration;

/**
 * SharedCounterPeer is the work both processes of {@link SharedCounterStep} do on one shared block,
 * and the {@code main} of the second process.
 *
 * <pre>
 *   0         8         16                  48        64      68      72
 *   +---------+---------+-------------------+---------+-------+-------+
 *   | atomic  | locked  | SharedLock        | (free)  | ready | ping  |
 *   | counter | counter | (32 bytes)        |         | int   | int   |
 *   +---------+---------+-------------------+---------+-------+-------+
 * </pre>
 */
public final class SharedCounterPeer {
  static final long ATOMIC_COUNTER = 0;
  static final long LOCKED_COUNTER = 8;
  static final long LOCK = 16;
  static final long READY = 64;
  static final long PING = 68;
  static final long SIZE = 4096;
  private static final int SPINS = 5_000;
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private SharedCounterPeer() {}

  /** Runs the peer side: arguments are the block's path, increments, locked increments, pings. */
  public static void main(String[] args) {
    try (SharedMemory block = SharedMemory.open(Path.of(args[0]))) {
      Mapping mapping = block.mapping();
      meet(mapping);
      count(mapping, Long.parseLong(args[1]), Long.parseLong(args[2]));
      int pings = Integer.parseInt(args[3]);
      for (int round = 0; round < pings; round++) {
        awaitValue(mapping, PING, 2 * round + 1);
        mapping.atomics().setIntRelease(PING, 2 * round + 2);
        Futex.wake(mapping, PING, 1);
      }
    }
  }

  /** Waits until both processes have arrived, so that they count at the same time. */
  static void meet(Mapping mapping) {
    mapping.atomics().getAndAddInt(READY, 1);
    Futex.wakeAll(mapping, READY);
    awaitValue(mapping, READY, 2);
  }

  /** Adds {@code increments} atomically and {@code locked} times under the shared lock. */
  static void count(Mapping mapping, long increments, long locked) {
    MappingAtomics atomics = mapping.atomics();
    for (long i = 0; i < increments; i++) {
      atomics.getAndAddLong(ATOMIC_COUNTER, 1);
    }
    SharedLock lock = SharedLock.at(mapping, LOCK);
    for (long i = 0; i < locked; i++) {
      SharedLock.Guard guard = lock.acquire(PATIENCE);
      try {
        mapping.putLong(LOCKED_COUNTER, mapping.getLong(LOCKED_COUNTER) + 1);
      } finally {
        guard.close();
      }
    }
  }

  /**
   * Spins briefly, then sleeps on the futex, until the int at {@code offset} equals {@code value}.
   */
  static void awaitValue(Mapping mapping, long offset, int value) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    for (int spin = 0; spin < SPINS; spin++) {
      if (mapping.atomics().getIntAcquire(offset) == value) {
        return;
      }
      Thread.onSpinWait();
    }
    int seen;
    while ((seen = mapping.atomics().getIntAcquire(offset)) != value) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("peer did not answer: offset=" + offset + ", seen=" + seen);
      }
      Futex.await(mapping, offset, seen, Duration.ofMillis(100));
    }
  }
}
