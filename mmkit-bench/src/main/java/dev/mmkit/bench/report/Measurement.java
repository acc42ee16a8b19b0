package dev.mmkit.bench.report;

import java.util.Map;
import java.util.TreeMap;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.util.Statistics;

/**
 * Measurement is one JMH result, reduced to what the reports need.
 *
 * @param group {@code core}, {@code kv} or {@code ipc}
 * @param benchmark the benchmark method, e.g. {@code get}
 * @param params the JMH parameters of the run
 * @param mode the JMH mode, e.g. {@code thrpt}
 * @param score the primary score
 * @param error the 99.9% confidence half-width of the score (NaN with too few iterations)
 * @param unit the score's unit, e.g. {@code ops/s}
 * @param percentiles for sampled modes, percentile (50.0, 99.0...) to value in {@code unit}
 * @param jvmArgs the flags the fork ran with
 */
public record Measurement(
    String group,
    String benchmark,
    Map<String, String> params,
    String mode,
    double score,
    double error,
    String unit,
    Map<Double, Double> percentiles,
    java.util.List<String> jvmArgs) {

  private static final double[] PERCENTILES = {50, 90, 99, 99.9, 99.99, 100};

  /** Reduces a JMH run result. */
  public static Measurement of(String group, RunResult run) {
    String name = run.getParams().getBenchmark();
    String benchmark = name.substring(name.lastIndexOf('.') + 1);
    Map<String, String> params = new TreeMap<>();
    for (Object key : run.getParams().getParamsKeys()) {
      params.put(String.valueOf(key), run.getParams().getParam(String.valueOf(key)));
    }
    java.util.List<String> jvmArgs = new java.util.ArrayList<>();
    for (Object arg : run.getParams().getJvmArgs()) {
      jvmArgs.add(String.valueOf(arg));
    }
    Result<?> primary = run.getPrimaryResult();
    Map<Double, Double> percentiles = new TreeMap<>();
    if (run.getParams().getMode().shortLabel().equals("sample")) {
      Statistics statistics = primary.getStatistics();
      for (double p : PERCENTILES) {
        percentiles.put(p, statistics.getPercentile(p));
      }
    }
    return new Measurement(
        group,
        benchmark,
        params,
        run.getParams().getMode().shortLabel(),
        primary.getScore(),
        primary.getScoreError(),
        primary.getScoreUnit(),
        percentiles,
        jvmArgs);
  }

  /** Returns a parameter's value, or an empty string. */
  public String param(String key) {
    return params.getOrDefault(key, "");
  }
}
