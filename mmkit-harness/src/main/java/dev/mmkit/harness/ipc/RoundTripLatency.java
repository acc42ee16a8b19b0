package dev.mmkit.harness.ipc;

import org.HdrHistogram.Histogram;

/**
 * RoundTripLatency is the distribution of measured round trips, in microseconds.
 *
 * @param count how many round trips were measured
 * @param p50 the median
 * @param p90 the 90th percentile
 * @param p99 the 99th percentile
 * @param p999 the 99.9th percentile
 * @param max the slowest
 */
public record RoundTripLatency(
    long count, double p50, double p90, double p99, double p999, double max) {

  /** Returns the distribution of a histogram of nanoseconds. */
  static RoundTripLatency of(Histogram nanos) {
    return new RoundTripLatency(
        nanos.getTotalCount(),
        nanos.getValueAtPercentile(50.0) / 1000.0,
        nanos.getValueAtPercentile(90.0) / 1000.0,
        nanos.getValueAtPercentile(99.0) / 1000.0,
        nanos.getValueAtPercentile(99.9) / 1000.0,
        nanos.getMaxValue() / 1000.0);
  }
}
