package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mmkit.core.testing.TestThread;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifetimeTest {
  @TempDir Path dir;

  @Test
  void shouldMakeCloseIdempotent() {
    Mapping mapping = Mapping.anonymous(4096);
    mapping.close();
    mapping.close();
    assertThat(mapping.isClosed()).isTrue();
  }

  @Test
  void shouldThrowClosedExceptionFromEveryAccessorAfterClose() {
    MappedFile file = MappedFile.create(dir.resolve("closed.dat"), 8192);
    Mapping mapping = file.map();
    mapping.close();
    List<Runnable> uses = new ArrayList<>();
    uses.add(() -> mapping.getLong(0));
    uses.add(() -> mapping.putInt(0, 1));
    uses.add(() -> mapping.read(0, new byte[8], 0, 8));
    uses.add(() -> mapping.checksum(0, 100));
    uses.add(() -> mapping.atomics().getAndAddLong(0, 1));
    uses.add(() -> mapping.sync());
    uses.add(() -> mapping.residency());
    uses.add(() -> mapping.touch(0, 8192));
    uses.add(() -> mapping.advise(0, 4096, Advice.RANDOM));
    uses.add(() -> mapping.guard(segment -> segment.get(ValueLayout.JAVA_BYTE, 0)));
    uses.add(() -> Futex.wake(mapping, 0, 1));
    for (Runnable use : uses) {
      assertThatThrownBy(use::run).isInstanceOf(ClosedException.class);
    }
    assertThatThrownBy(() -> mapping.segment().get(ValueLayout.JAVA_BYTE, 0))
        .isInstanceOf(IllegalStateException.class);
    file.close();
  }

  @Test
  void shouldThrowClosedExceptionInAnotherThreadThatUsesTheMappingAfterClose() throws Exception {
    MappedFile file = MappedFile.create(dir.resolve("threads.dat"), 1 << 20);
    Mapping mapping = file.map();
    CountDownLatch reading = new CountDownLatch(1);
    TestThread reader =
        TestThread.start(
            "reader",
            () ->
                assertThatThrownBy(
                        () -> {
                          long sum = 0;
                          while (sum != Long.MIN_VALUE) {
                            for (long offset = 0; offset < 1 << 20; offset += 4096) {
                              sum += mapping.getLong(offset);
                            }
                            reading.countDown();
                          }
                        })
                    .isInstanceOf(ClosedException.class));
    assertThat(reading.await(60, TimeUnit.SECONDS)).isTrue();
    mapping.close();
    reader.join(Duration.ofSeconds(30));
    file.close();
  }

  @Test
  void shouldLetManyThreadsCloseAtOnce() throws Exception {
    for (int round = 0; round < 20; round++) {
      Mapping mapping = Mapping.anonymous(1 << 16);
      CyclicBarrier together = new CyclicBarrier(4);
      List<TestThread> closers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        closers.add(
            TestThread.start(
                "closer-" + i,
                () -> {
                  together.await(30, TimeUnit.SECONDS);
                  mapping.close();
                  assertThat(mapping.isClosed()).isTrue();
                  assertThatThrownBy(() -> mapping.getLong(0)).isInstanceOf(ClosedException.class);
                }));
      }
      for (TestThread closer : closers) {
        closer.join(Duration.ofSeconds(30));
      }
      assertThat(mapping.isClosed()).isTrue();
    }
  }
}
