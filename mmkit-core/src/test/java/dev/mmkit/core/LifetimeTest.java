package dev.mmkit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
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
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Thread reader =
        Thread.ofPlatform()
            .start(
                () -> {
                  try {
                    long sum = 0;
                    while (true) {
                      for (long offset = 0; offset < 1 << 20; offset += 4096) {
                        sum += mapping.getLong(offset);
                      }
                      reading.countDown();
                      if (sum == Long.MIN_VALUE) {
                        return;
                      }
                    }
                  } catch (RuntimeException e) {
                    failure.set(e);
                  }
                });
    reading.await();
    mapping.close();
    reader.join(10_000);
    assertThat(reader.isAlive()).isFalse();
    assertThat(failure.get()).isInstanceOf(ClosedException.class);
    file.close();
  }

  @Test
  void shouldLetManyThreadsCloseAtOnce() throws Exception {
    for (int round = 0; round < 20; round++) {
      Mapping mapping = Mapping.anonymous(1 << 16);
      List<Thread> closers = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        closers.add(Thread.ofPlatform().start(mapping::close));
      }
      for (Thread closer : closers) {
        closer.join();
      }
      assertThat(mapping.isClosed()).isTrue();
    }
  }
}
