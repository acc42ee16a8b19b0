package dev.mmkit.ipc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mmkit.core.Feature;
import dev.mmkit.core.Platform;
import dev.mmkit.core.testing.ChildJvm;
import dev.mmkit.core.testing.KernelTask;
import dev.mmkit.core.testing.Smaps;
import dev.mmkit.core.testing.TestThread;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongPredicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockingWaitTest {
  private static final ChannelOptions OPTIONS = ChannelOptions.defaults().withCapacity(64 << 10);

  /** How long an idle waiter's CPU time is measured: it must stay under 1% of this. */
  private static final Duration IDLE = Duration.ofSeconds(3);

  @TempDir Path directory;

  @Test
  void shouldSleepInTheKernelAndUseUnderOnePercentOfACoreWhileIdle() throws Exception {
    assumeTrue(Platform.isLive(Feature.FUTEX), "futex needs native access on Linux");
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, OPTIONS);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, OPTIONS)) {
      AtomicReference<byte[]> got = new AtomicReference<>();
      TestThread waiter =
          TestThread.start(
              "idle-receiver",
              () ->
                  assertThat(
                          receiver.receive(
                              m -> got.set(m.toArray(ValueLayout.JAVA_BYTE)),
                              1,
                              Duration.ofMinutes(2)))
                      .isOne());
      KernelTask task = waiter.task();
      task.awaitFutexSleep(
          word(path, ChannelLayout.DATA_SIGNAL_OFFSET), "data signal", Duration.ofSeconds(60));
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuBefore = threads.getThreadCpuTime(waiter.threadId());
      long wallBefore = System.nanoTime();
      Thread.sleep(IDLE.toMillis());
      long cpu = threads.getThreadCpuTime(waiter.threadId()) - cpuBefore;
      long wall = System.nanoTime() - wallBefore;
      assertThat(waiter.isAlive()).isTrue();
      assertThat(cpu)
          .as(
              "CPU of the idle receiver over %d ms: %d ns; %s",
              wall / 1_000_000, cpu, task.describe())
          .isLessThan(wall / 100);
      sender.offer(new byte[] {1, 2, 3}, 0, 3);
      waiter.join(Duration.ofSeconds(30));
      assertThat(got.get()).containsExactly(1, 2, 3);
    }
  }

  @Test
  void shouldBlockASenderInTheKernelUntilTheConsumerMakesRoom() throws Exception {
    assumeTrue(Platform.isLive(Feature.FUTEX), "futex needs native access on Linux");
    Path path = directory.resolve("channel");
    // Liveness checks a minute apart: only the consumer's wake-up can end the sender's sleep in
    // the few seconds this test allows.
    ChannelOptions patient = OPTIONS.withLivenessInterval(Duration.ofMinutes(1));
    try (ChannelSender sender = OneToOneChannel.openSender(path, patient);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, patient)) {
      byte[] message = new byte[4000];
      while (sender.offer(message, 0, message.length)) {
        // fill it
      }
      AtomicLong sentAt = new AtomicLong();
      TestThread blocked =
          TestThread.start(
              "blocked-sender",
              () -> {
                sender.send(MemorySegment.ofArray(message), Duration.ofMinutes(5));
                sentAt.set(System.nanoTime());
              });
      KernelTask task = blocked.task();
      task.awaitFutexSleep(
          word(path, ChannelLayout.SPACE_SIGNAL_OFFSET), "space signal", Duration.ofSeconds(60));
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long cpuBefore = threads.getThreadCpuTime(blocked.threadId());
      long wallBefore = System.nanoTime();
      Thread.sleep(1_000);
      long cpu = threads.getThreadCpuTime(blocked.threadId()) - cpuBefore;
      long wall = System.nanoTime() - wallBefore;
      assertThat(sentAt).hasValue(0);
      assertThat(cpu)
          .as("CPU of the blocked sender: %d ns; %s", cpu, task.describe())
          .isLessThan(wall / 100);
      long freed = System.nanoTime();
      assertThat(receiver.poll(m -> {}, 1)).isOne();
      blocked.join(Duration.ofSeconds(30));
      assertThat(Duration.ofNanos(sentAt.get() - freed)).isLessThan(Duration.ofSeconds(30));
    }
  }

  /**
   * Returns a predicate accepting the address of the header word at {@code offset} in any mapping
   * of the channel file this process holds (the sender and the receiver each map it).
   */
  private static LongPredicate word(Path path, long offset) {
    Set<Long> words =
        Smaps.mapping(path).stream().map(area -> area.start() + offset).collect(Collectors.toSet());
    assertThat(words).as("mappings of %s", path).isNotEmpty();
    return words::contains;
  }

  @Test
  void shouldPingPongWithAnotherProcessUsingEveryStrategy() throws Exception {
    for (WaitStrategy strategy :
        new WaitStrategy[] {
          WaitStrategy.blocking(),
          WaitStrategy.backoff(),
          WaitStrategy.blocking(0),
          WaitStrategy.busySpin()
        }) {
      String name = strategy.kind() + "-" + strategy.spins();
      Path ping = directory.resolve("ping-" + name);
      Path pong = directory.resolve("pong-" + name);
      ChannelOptions options = OPTIONS.withWaitStrategy(strategy);
      try (ChannelSender sender = OneToOneChannel.openSender(ping, OPTIONS);
          ChannelReceiver receiver = OneToOneChannel.openReceiver(pong, options);
          ChildJvm echo =
              ChildJvm.start(ChannelPeer.class, "echo", ping.toString(), pong.toString())) {
        echo.awaitLine("READY", Duration.ofSeconds(30));
        MemorySegment message = MemorySegment.ofArray(new long[1]);
        AtomicLong last = new AtomicLong(-1);
        for (long i = 0; i < 2_000; i++) {
          message.set(ValueLayout.JAVA_LONG, 0, i);
          sender.send(message, Duration.ofSeconds(10));
          int got =
              receiver.receive(
                  m -> last.set(m.get(ValueLayout.JAVA_LONG_UNALIGNED, 0)),
                  1,
                  Duration.ofSeconds(10));
          assertThat(got).as("round trip %d with %s; %s", i, strategy, echo.describe()).isOne();
          assertThat(last.get()).isEqualTo(i);
        }
      }
    }
  }
}
