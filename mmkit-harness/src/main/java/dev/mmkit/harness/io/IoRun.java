package dev.mmkit.harness.io;

import dev.mmkit.harness.Pinning;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * IoRun is everything one {@code mmkit bench io} measured, and the environment it measured it in.
 *
 * @param environment facts about the machine and the run (date, JDK, CPUs, memory, sizes)
 * @param pinning whether the run was pinned to fewer CPUs than are online
 * @param limitNanos the duration of each run summing anonymous memory of the file's size
 * @param size the size of the large file and of the anonymous memory, in bytes
 * @param results the timings, per workload, in {@link IoMethod} order
 * @param strategies the adaptive reader's strategy per workload
 */
public record IoRun(
    Map<String, Object> environment,
    Pinning pinning,
    long[] limitNanos,
    long size,
    Map<IoWorkload, List<IoResult>> results,
    Map<IoWorkload, String> strategies) {

  /** Creates the run from copies of {@code results} and {@code strategies}. */
  public IoRun {
    results = new EnumMap<>(results);
    strategies = new EnumMap<>(strategies);
  }

  /** Returns the in-memory limit in bytes per second. */
  double limitBytesPerSecond() {
    return size * 1e9 / Math.max(1, IoResult.median(limitNanos));
  }

  /** Returns the fastest result of a row. */
  IoResult best(IoWorkload workload) {
    IoResult best = null;
    for (IoResult result : results.get(workload)) {
      if (best == null || result.medianNanos() < best.medianNanos()) {
        best = result;
      }
    }
    return best;
  }

  /** Returns the fastest of the plain (non-mapping, non-adaptive) reads of a row. */
  IoResult bestPlainRead(IoWorkload workload) {
    IoResult best = null;
    for (IoResult result : results.get(workload)) {
      if (result.method().isPlainRead()
          && (best == null || result.medianNanos() < best.medianNanos())) {
        best = result;
      }
    }
    return best;
  }

  /** Returns the result of one method on one row. */
  IoResult result(IoWorkload workload, IoMethod method) {
    for (IoResult result : results.get(workload)) {
      if (result.method() == method) {
        return result;
      }
    }
    throw new IllegalArgumentException("not measured: " + workload + ", " + method);
  }

  /** Returns the adaptive reader's speed as a fraction of the row's best (1.0 = the best). */
  double adaptiveVersusBest(IoWorkload workload) {
    return best(workload).medianNanos() / result(workload, IoMethod.ADAPTIVE).medianNanos();
  }

  /** Returns mapping's speed relative to the best plain read of a row (above 1: mapping wins). */
  double mappedVersusPlain(IoWorkload workload) {
    return bestPlainRead(workload).medianNanos() / result(workload, IoMethod.MAPPED).medianNanos();
  }

  /** Returns the row's verdict on the usual advice, one phrase. */
  String verdict(IoWorkload workload) {
    double ratio = mappedVersusPlain(workload);
    String plain = bestPlainRead(workload).method().column();
    String measured;
    boolean mappingWins;
    if (ratio >= 1.1) {
      measured = String.format("mmap %.1fx faster than %s", ratio, plain);
      mappingWins = true;
    } else if (ratio <= 1 / 1.1) {
      measured = String.format("%s %.1fx faster than mmap", plain, 1 / ratio);
      mappingWins = false;
    } else {
      return String.format("tie: mmap %.2fx %s", ratio, plain);
    }
    boolean holds = mappingWins == workload.adviceFavoursMapping();
    return (holds ? "holds: " : "does not hold here: ") + measured;
  }
}
