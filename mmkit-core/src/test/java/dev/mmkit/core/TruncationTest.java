package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.testing.ChildJvm;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TruncationTest {
  private static final long SIZE = 32L << 20;
  private static final long NEW_SIZE = 1L << 20;

  @TempDir Path dir;

  @Test
  void shouldTurnEveryOperationPastTheNewEndIntoTruncatedException() throws IOException {
    Path path = dir.resolve("shrunk.dat");
    try (MappedFile file = MappedFile.create(path, SIZE);
        Mapping mapping = file.map()) {
      mapping.fill(0, SIZE, (byte) 1);
      shrink(path, NEW_SIZE);
      long end = SIZE - 8;
      List<Runnable> operations = new ArrayList<>();
      operations.add(() -> mapping.getLong(end));
      operations.add(() -> mapping.putLong(end, 1));
      operations.add(() -> mapping.getByte(end));
      operations.add(() -> mapping.getInt(end));
      operations.add(() -> mapping.read(NEW_SIZE - 100, new byte[200], 0, 200));
      operations.add(() -> mapping.write(end, new byte[8], 0, 8));
      operations.add(() -> mapping.checksum(0, SIZE));
      operations.add(() -> mapping.fill(NEW_SIZE, 4096, (byte) 2));
      operations.add(() -> mapping.atomics().getAndAddLong(end, 1));
      operations.add(() -> mapping.atomics().compareAndSetInt(NEW_SIZE, 0, 1));
      operations.add(() -> mapping.atomics().compareAndSetLong(end, 0, 1));
      operations.add(() -> mapping.atomics().setLongRelease(end, 1));
      operations.add(() -> mapping.atomics().getIntAcquire(NEW_SIZE));
      operations.add(() -> mapping.touch(0, SIZE));
      operations.add(() -> mapping.sync(0, SIZE, SyncMode.SYNC));
      operations.add(() -> mapping.residency(NEW_SIZE, 4096));
      operations.add(() -> mapping.evict(0, SIZE));
      operations.add(
          () ->
              mapping.guard(
                  segment ->
                      segment.asSlice(end, 8).toArray(java.lang.foreign.ValueLayout.JAVA_BYTE)));
      for (Runnable operation : operations) {
        assertThatThrownBy(operation::run)
            .isInstanceOf(TruncatedException.class)
            .hasMessageContaining("file=" + path)
            .hasMessageContaining("fileSize=" + NEW_SIZE);
      }
      assertThat(mapping.getByte(NEW_SIZE - 1)).isEqualTo((byte) 1);
      TruncatedException e = (TruncatedException) catchThrowable(() -> mapping.getLong(end));
      assertThat(e.offset()).isEqualTo(end);
      assertThat(e.length()).isEqualTo(8);
      assertThat(e.fileSize()).isEqualTo(NEW_SIZE);
      assertThat(e.file()).isEqualTo(path);
    }
  }

  @Test
  void shouldNeverCrashOrReturnFaultedBytesWhileAChildJvmTruncatesTheFile() throws Exception {
    for (int round = 0; round < 4; round++) {
      Path path = dir.resolve("race" + round + ".dat");
      try (MappedFile file = MappedFile.create(path, SIZE);
          Mapping mapping = file.map()) {
        for (long offset = 0; offset < SIZE; offset += 8) {
          mapping.putLong(offset, pattern(offset));
        }
        mapping.sync();
        long newSize = round % 2 == 0 ? 0 : NEW_SIZE;
        try (ChildJvm truncator =
            ChildJvm.start(Truncator.class, path.toString(), Long.toString(newSize), "700")) {
          HotLoop.Result result = HotLoop.readUntilTruncated(mapping, Duration.ofSeconds(30));
          assertThat(truncator.awaitExit(Duration.ofSeconds(30))).isZero();
          assertThat(result.wrongValues()).as("values that were returned but wrong").isZero();
          assertThat(result.firstFailure()).isInstanceOf(TruncatedException.class);
          assertThat(result.reads()).isPositive();
        }
        HotLoop.assertConsistentAfterTruncation(mapping, newSize);
      }
    }
  }

  @Test
  void shouldNeverReturnAFaultedGuardBatchWhileAChildJvmTruncatesTheFile() throws Exception {
    for (int round = 0; round < 2; round++) {
      Path path = dir.resolve("guard-race" + round + ".dat");
      try (MappedFile file = MappedFile.create(path, SIZE);
          Mapping mapping = file.map()) {
        for (long offset = 0; offset < SIZE; offset += 8) {
          mapping.putLong(offset, pattern(offset));
        }
        mapping.sync();
        long newSize = round == 0 ? 0 : NEW_SIZE;
        try (ChildJvm truncator =
            ChildJvm.start(Truncator.class, path.toString(), Long.toString(newSize), "700")) {
          HotLoop.Result result = HotLoop.guardUntilTruncated(mapping, Duration.ofSeconds(30));
          assertThat(truncator.awaitExit(Duration.ofSeconds(30))).isZero();
          assertThat(result.wrongValues()).as("values that were returned but wrong").isZero();
          assertThat(result.firstFailure()).isInstanceOf(TruncatedException.class);
          assertThat(result.reads()).isPositive();
        }
      }
    }
  }

  @Test
  void shouldCatchEveryFaultWithTheNativeCallFenceToo() throws Exception {
    for (String loop : List.of("typed", "guard")) {
      Path path = dir.resolve("native-fence-" + loop + ".dat");
      try (ChildJvm child =
          ChildJvm.start(
              java.util.List.of(
                  "--enable-native-access=ALL-UNNAMED", "-D" + FaultFence.PROPERTY + "=native"),
              SelfTruncatingReader.class,
              path.toString(),
              loop)) {
        assertThat(child.awaitExit(Duration.ofSeconds(90))).as(child.describe()).isZero();
        assertThat(child.output())
            .contains("fence=native", "wrong=0", "failure=TruncatedException", "consistent");
      }
    }
  }

  private static Throwable catchThrowable(Runnable runnable) {
    try {
      runnable.run();
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  static long pattern(long offset) {
    return offset * 0x9E3779B97F4A7C15L + 1;
  }

  static void shrink(Path path, long size) throws IOException {
    try (RandomAccessFile foreign = new RandomAccessFile(path.toFile(), "rw")) {
      foreign.setLength(size);
    }
  }

  /** The reading side: typed, bulk and checksum reads at random offsets until one faults. */
  static final class HotLoop {
    record Result(long reads, long wrongValues, Throwable firstFailure) {}

    static Result readUntilTruncated(Mapping mapping, Duration limit) {
      SplittableRandom random = new SplittableRandom(7);
      long deadline = System.nanoTime() + limit.toNanos();
      long reads = 0;
      long wrong = 0;
      byte[] buffer = new byte[4096];
      while (System.nanoTime() < deadline) {
        try {
          for (int i = 0; i < 10_000; i++) {
            long offset = random.nextLong(SIZE / 8) * 8;
            if (mapping.getLong(offset) != pattern(offset)) {
              wrong++;
            }
            long page = offset & ~4095L;
            mapping.read(page, buffer, 0, buffer.length);
            long first =
                java.nio.ByteBuffer.wrap(buffer).order(java.nio.ByteOrder.nativeOrder()).getLong(0);
            if (first != pattern(page)) {
              wrong++;
            }
            reads += 2;
          }
          mapping.checksum(random.nextLong(SIZE / 4096) * 4096, 4096);
        } catch (TruncatedException e) {
          return new Result(reads, wrong, e);
        }
      }
      return new Result(reads, wrong, null);
    }

    /**
     * Reads batches of 512 random longs from the raw view inside {@link Mapping#guard}, each batch
     * counting the values that differ from the pattern; only batches that guard returned count.
     */
    static Result guardUntilTruncated(Mapping mapping, Duration limit) {
      SplittableRandom random = new SplittableRandom(7);
      long[] offsets = new long[512];
      long deadline = System.nanoTime() + limit.toNanos();
      long reads = 0;
      long wrong = 0;
      while (System.nanoTime() < deadline) {
        for (int i = 0; i < offsets.length; i++) {
          offsets[i] = random.nextLong(SIZE / 8) * 8;
        }
        try {
          wrong +=
              mapping.guard(
                  segment -> {
                    long differing = 0;
                    for (long offset : offsets) {
                      if (segment.get(java.lang.foreign.ValueLayout.JAVA_LONG, offset)
                          != pattern(offset)) {
                        differing++;
                      }
                    }
                    return differing;
                  });
          reads += offsets.length;
        } catch (TruncatedException e) {
          return new Result(reads, wrong, e);
        }
      }
      return new Result(reads, wrong, null);
    }

    static void assertConsistentAfterTruncation(Mapping mapping, long newSize) {
      for (long offset = 0; offset < SIZE; offset += 1 << 16) {
        long at = offset;
        if (offset < newSize) {
          assertThat(mapping.getLong(at)).isEqualTo(pattern(at));
        } else {
          assertThatThrownBy(() -> mapping.getLong(at)).isInstanceOf(TruncatedException.class);
        }
      }
    }
  }

  /** Child: reads in a hot loop while one of its own threads shrinks the file behind mmkit. */
  public static final class SelfTruncatingReader {
    private SelfTruncatingReader() {}

    /** Arguments: a file path to use; {@code typed} or {@code guard}: which reading loop. */
    public static void main(String[] args) throws Exception {
      Path path = Path.of(args[0]);
      boolean guard = args.length > 1 && args[1].equals("guard");
      System.out.println("fence=" + Platform.faultFence());
      try (MappedFile file = MappedFile.create(path, SIZE);
          Mapping mapping = file.map()) {
        for (long offset = 0; offset < SIZE; offset += 8) {
          mapping.putLong(offset, pattern(offset));
        }
        Thread shrinker =
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        Thread.sleep(1500);
                        shrink(path, NEW_SIZE);
                      } catch (InterruptedException | IOException e) {
                        throw new IllegalStateException(e);
                      }
                    });
        HotLoop.Result result =
            guard
                ? HotLoop.guardUntilTruncated(mapping, Duration.ofSeconds(30))
                : HotLoop.readUntilTruncated(mapping, Duration.ofSeconds(30));
        shrinker.join();
        System.out.println("wrong=" + result.wrongValues());
        System.out.println("failure=" + result.firstFailure().getClass().getSimpleName());
        HotLoop.assertConsistentAfterTruncation(mapping, NEW_SIZE);
        System.out.println("consistent");
      }
    }
  }

  /** Child: waits, then shrinks the file like a program that ignores mmkit's lock. */
  public static final class Truncator {
    private Truncator() {}

    /** Arguments: path, new size, delay in milliseconds. */
    public static void main(String[] args) throws Exception {
      Thread.sleep(Long.parseLong(args[2]));
      shrink(Path.of(args[0]), Long.parseLong(args[1]));
      System.out.println("truncated");
    }
  }
}
