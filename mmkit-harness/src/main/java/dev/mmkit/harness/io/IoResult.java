package dev.mmkit.harness.io;

import java.util.Arrays;

/**
 * IoResult is the timings of one method on one workload.
 *
 * @param workload the row
 * @param method the method
 * @param nanos the duration of each measured run, in nanoseconds
 * @param operations the operations one run makes
 * @param bytesPerOperation the bytes one operation delivers
 */
public record IoResult(
    IoWorkload workload, IoMethod method, long[] nanos, long operations, long bytesPerOperation) {

  /** Returns the median duration of a run in nanoseconds. */
  double medianNanos() {
    return median(nanos);
  }

  /** Returns operations per second at the median. */
  double operationsPerSecond() {
    return operations * 1e9 / Math.max(1, medianNanos());
  }

  /** Returns bytes per second at the median. */
  double bytesPerSecond() {
    return operations * (double) bytesPerOperation * 1e9 / Math.max(1, medianNanos());
  }

  /** Returns the row's headline figure in the workload's unit (ops/s, GB/s or files/s). */
  double figure() {
    return workload == IoWorkload.SCAN ? bytesPerSecond() / 1e9 : operationsPerSecond();
  }

  static double median(long[] values) {
    long[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
  }
}
