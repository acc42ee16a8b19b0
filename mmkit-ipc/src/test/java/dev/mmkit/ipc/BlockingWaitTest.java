package dev.mmkit.ipc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mmkit.core.testing.ChildJvm;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BlockingWaitTest {
  private static final ChannelOptions OPTIONS = ChannelOptions.defaults().withCapacity(64 << 10);

  @TempDir Path directory;

  @Test
  void shouldSleepWithoutBurningCpuWhileIdle() throws Exception {
    Path path = directory.resolve("channel");
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    try (ChannelSender sender = OneToOneChannel.openSender(path, OPTIONS);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, OPTIONS)) {
      AtomicLong cpu = new AtomicLong();
      AtomicReference<byte[]> got = new AtomicReference<>();
      Thread waiter =
          Thread.ofPlatform()
              .start(
                  () -> {
                    long before = threads.getCurrentThreadCpuTime();
                    receiver.receive(
                        m -> got.set(m.toArray(ValueLayout.JAVA_BYTE)), 1, Duration.ofSeconds(30));
                    cpu.set(threads.getCurrentThreadCpuTime() - before);
                  });
      Thread.sleep(1_000);
      sender.offer(new byte[] {1, 2, 3}, 0, 3);
      OneToOneChannelTest.join(waiter);
      assertThat(got.get()).containsExactly(1, 2, 3);
      // Asleep for a second: a spinning waiter would have used about a second of CPU.
      assertThat(cpu.get()).isLessThan(Duration.ofMillis(150).toNanos());
    }
  }

  @Test
  void shouldWakeAProducerWaitingForRoom() throws Exception {
    Path path = directory.resolve("channel");
    try (ChannelSender sender = OneToOneChannel.openSender(path, OPTIONS);
        ChannelReceiver receiver = OneToOneChannel.openReceiver(path, OPTIONS)) {
      byte[] message = new byte[4000];
      while (sender.offer(message, 0, message.length)) {
        // fill it
      }
      Thread consumer =
          Thread.ofPlatform()
              .start(
                  () -> {
                    OneToOneChannelTest.sleep(300);
                    receiver.poll(m -> {}, 1);
                  });
      sender.send(MemorySegment.ofArray(message), Duration.ofSeconds(30));
      OneToOneChannelTest.join(consumer);
    }
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
