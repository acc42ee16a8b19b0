package dev.mmkit.cli.tour;

import dev.mmkit.cli.Sizes;
import dev.mmkit.core.Futex;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.SharedLock;
import dev.mmkit.core.SharedMemory;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * SharedCounterStep has two processes share one mapping: both increment one counter with atomics
 * and another under a shared lock, then wake each other with a futex.
 */
public final class SharedCounterStep implements TourStep {
  private static final long INCREMENTS = 2_000_000;
  private static final long LOCKED_INCREMENTS = 100_000;
  private static final int PINGS = 2_000;

  @Override
  public String title() {
    return "Shared memory: two processes, one counter, atomics, a lock and futex wake-ups";
  }

  @Override
  public void run(TourContext context) throws Exception {
    String name = "mmkit-tour-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    try (SharedMemory block = SharedMemory.create(name, SharedCounterPeer.SIZE)) {
      try {
        context.say(
            "created %s (%d bytes), started a second JVM that maps it too",
            block.path(), block.size());
        Process peer =
            context.startPeer(
                SharedCounterPeer.class,
                block.path().toString(),
                Long.toString(INCREMENTS),
                Long.toString(LOCKED_INCREMENTS),
                Integer.toString(PINGS));
        Mapping mapping = block.mapping();
        SharedCounterPeer.meet(mapping);
        long start = System.nanoTime();
        SharedCounterPeer.count(mapping, INCREMENTS, LOCKED_INCREMENTS);
        long countNanos = System.nanoTime() - start;
        long[] roundTrips = pingPong(mapping);
        if (!peer.waitFor(60, TimeUnit.SECONDS) || peer.exitValue() != 0) {
          peer.destroyForcibly();
          throw new IllegalStateException("the second process failed");
        }
        report(context, mapping, countNanos, roundTrips);
      } finally {
        block.delete();
      }
    }
  }

  private static long[] pingPong(Mapping mapping) {
    long[] nanos = new long[PINGS];
    for (int round = 0; round < PINGS; round++) {
      long start = System.nanoTime();
      mapping.atomics().setIntRelease(SharedCounterPeer.PING, 2 * round + 1);
      Futex.wake(mapping, SharedCounterPeer.PING, 1);
      SharedCounterPeer.awaitValue(mapping, SharedCounterPeer.PING, 2 * round + 2);
      nanos[round] = System.nanoTime() - start;
    }
    Arrays.sort(nanos);
    return nanos;
  }

  private static void report(
      TourContext context, Mapping mapping, long countNanos, long[] roundTrips) {
    long atomic = mapping.atomics().getLongVolatile(SharedCounterPeer.ATOMIC_COUNTER);
    long locked = mapping.getLong(SharedCounterPeer.LOCKED_COUNTER);
    context.say(
        "atomic counter: %,d (expected %,d: %s)",
        atomic, 2 * INCREMENTS, atomic == 2 * INCREMENTS ? "exact" : "LOST UPDATES");
    context.say(
        "lock-protected counter: %,d (expected %,d: %s)",
        locked, 2 * LOCKED_INCREMENTS, locked == 2 * LOCKED_INCREMENTS ? "exact" : "LOST UPDATES");
    context.say(
        "this process counted in %s (%s per increment, both processes at once)",
        Sizes.nanos(countNanos),
        Sizes.nanos((double) countNanos / (INCREMENTS + LOCKED_INCREMENTS)));
    context.say(
        "futex ping-pong, %d round trips: median %s, p99 %s",
        PINGS, Sizes.nanos(roundTrips[PINGS / 2]), Sizes.nanos(roundTrips[PINGS * 99 / 100]));
    context.say(
        "lock taken over from dead holders: %d",
        SharedLock.at(mapping, SharedCounterPeer.LOCK).recoveries());
    if (atomic != 2 * INCREMENTS || locked != 2 * LOCKED_INCREMENTS) {
      throw new IllegalStateException("shared counters lost updates");
    }
  }
}
