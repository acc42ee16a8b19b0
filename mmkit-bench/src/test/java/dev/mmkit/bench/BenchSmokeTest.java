package dev.mmkit.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.bench.kv.KvFiles;
import java.nio.file.Path;
import java.util.Collection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/** Runs one tiny JMH iteration in this JVM, to show the generated harness works. */
class BenchSmokeTest {
  @TempDir Path directory;

  @Test
  void shouldRunOneTinyKeyValueBenchmarkIteration() throws Exception {
    System.setProperty(KvFiles.DATA_PROPERTY, directory.toString());
    Collection<RunResult> results =
        new Runner(
                new OptionsBuilder()
                    .include(".*KvReadBenchmark.get")
                    .param("store", "mvstore")
                    .param("entries", "500")
                    .param("cache", "warm")
                    .forks(0)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(100))
                    .shouldFailOnError(true)
                    .build())
            .run();
    assertThat(results).hasSize(1);
    assertThat(results.iterator().next().getPrimaryResult().getScore()).isPositive();
  }

  @Test
  void shouldRejectUnknownRunnerOption() {
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> BenchRunner.main(new String[] {"--fastest", "yes"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--fastest");
  }
}
