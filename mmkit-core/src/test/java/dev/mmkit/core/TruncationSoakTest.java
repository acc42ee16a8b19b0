package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.core.testing.ChildJvm;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TruncationSoakTest repeats the child-JVM truncation race many times with random delays and sizes,
 * so that the truncation lands in every part of the reading loop and of JIT compilation.
 */
@Tag("soak")
class TruncationSoakTest {
  private static final long SIZE = 32L << 20;

  @TempDir Path dir;

  @Test
  void shouldSurviveManyTruncationRacesWithoutACrashOrAWrongValue() throws Exception {
    SplittableRandom random = new SplittableRandom(System.nanoTime());
    for (int round = 0; round < 40; round++) {
      Path path = dir.resolve("soak" + round + ".dat");
      long newSize = random.nextLong(SIZE / 4096) * 4096;
      long delayMillis = random.nextLong(50, 1500);
      try (MappedFile file = MappedFile.create(path, SIZE);
          Mapping mapping = file.map()) {
        for (long offset = 0; offset < SIZE; offset += 8) {
          mapping.putLong(offset, TruncationTest.pattern(offset));
        }
        try (ChildJvm truncator =
            ChildJvm.start(
                TruncationTest.Truncator.class,
                path.toString(),
                Long.toString(newSize),
                Long.toString(delayMillis))) {
          TruncationTest.HotLoop.Result result =
              TruncationTest.HotLoop.readUntilTruncated(mapping, Duration.ofSeconds(30));
          assertThat(truncator.awaitExit(Duration.ofSeconds(30))).isZero();
          assertThat(result.wrongValues()).as("round %d", round).isZero();
          assertThat(result.firstFailure()).isInstanceOf(TruncatedException.class);
        }
        TruncationTest.HotLoop.assertConsistentAfterTruncation(mapping, newSize);
      }
    }
  }
}
