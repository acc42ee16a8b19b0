package dev.mmkit.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.examples.core.CoreExample;
import dev.mmkit.examples.ipc.Consumer;
import dev.mmkit.examples.ipc.Producer;
import dev.mmkit.examples.kv.KvExample;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ExamplesTest runs each example program in its own JVM on the module path and checks what it
 * prints against values worked out here from what the program is meant to do.
 */
class ExamplesTest {
  @TempDir Path dir;

  @Test
  void shouldWriteReadAndScanAndKeepCountingRunsInTheKvExample() throws Exception {
    Path db = dir.resolve("example.db");
    for (int run = 1; run <= 2; run++) {
      ExampleProcess.Result result = ExampleProcess.run(KvExample.class, db.toString());
      assertThat(result.errors()).isEmpty();
      assertThat(result.exitCode()).isZero();
      // Ids -2 to 7; the scan of [3, 6] reversed stops after the first id not above 5.
      assertThat(result.lines())
          .containsExactly(
              "run=" + run,
              "greeting=hello",
              "get 4=user4",
              "scan 6=user6",
              "scan 5=user5",
              "first=-2 last=7",
              "negative=[-2, -1]",
              "size=10");
    }
  }

  @Test
  void shouldPassEveryMessageInOrderBetweenTwoProcesses() throws Exception {
    String channel = "mmkit-example-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    // More than the 1 MiB ring holds at once, so the producer waits for the consumer.
    int count = 100_000;
    try (ExampleProcess consumer = ExampleProcess.start(Consumer.class, channel);
        ExampleProcess producer =
            ExampleProcess.start(Producer.class, channel, Integer.toString(count))) {
      ExampleProcess.Result sent = producer.await(Duration.ofMinutes(1));
      ExampleProcess.Result received = consumer.await(Duration.ofMinutes(1));
      assertThat(sent.errors()).isEmpty();
      assertThat(sent.lines()).containsExactly("sent=" + count);
      assertThat(received.errors()).isEmpty();
      long sum = (long) count * (count - 1) / 2;
      assertThat(received.lines())
          .containsExactly("received=" + count + " sum=" + sum + " inOrder=true");
      assertThat(List.of(sent.exitCode(), received.exitCode())).containsOnly(0);
    } finally {
      Files.deleteIfExists(Path.of("/dev/shm", channel));
    }
  }

  @Test
  void shouldMapMeasureResidencyAndSurviveTruncationInTheCoreExample() throws Exception {
    // On the build's own disk: a file in tmpfs could not be evicted.
    Path target = Files.createDirectories(Path.of("target", "examples"));
    Path file = target.resolve("core-" + System.nanoTime() + ".bin");
    try {
      ExampleProcess.Result result = ExampleProcess.run(CoreExample.class, file.toString());
      assertThat(result.errors()).isEmpty();
      assertThat(result.exitCode()).isZero();
      long size = 1 << 20;
      long pageSize = kernelPageSize();
      long pages = size / pageSize;
      assertThat(result.lines())
          .containsExactly(
              "pages=" + pages + " pageSize=" + pageSize,
              "resident after writing=" + pages,
              "resident after evict=0",
              "first half resident after touch=" + pages / 2,
              "truncated offset=" + (size - 8) + " fileSize=" + size / 2,
              "still readable " + (size / 2 - 8) + "=" + (size / 2 - 8));
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static long kernelPageSize() throws IOException, InterruptedException {
    Process getconf = new ProcessBuilder("getconf", "PAGESIZE").start();
    String out = new String(getconf.getInputStream().readAllBytes()).strip();
    assertThat(getconf.waitFor()).isZero();
    return Long.parseLong(out);
  }
}
