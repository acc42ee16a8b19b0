package dev.mmkit.cli.tour;

import dev.mmkit.cli.Sizes;
import dev.mmkit.ipc.ChannelOptions;
import dev.mmkit.ipc.ChannelReceiver;
import dev.mmkit.ipc.ChannelSender;
import dev.mmkit.ipc.OneToOneChannel;
import dev.mmkit.ipc.WaitStrategy;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * IpcStep sends messages to a second JVM over a pair of shared-memory channels and back: round
 * trips first, one at a time, then a burst, and shows what each costs.
 */
public final class IpcStep implements TourStep {
  private static final int ROUND_TRIPS = 5_000;

  /** Round trips run before the measured ones, so that both JVMs have compiled the path. */
  private static final int WARMUP = 200_000;

  private static final int BURST = 50_000;
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  @Override
  public String title() {
    return "IPC channels: messages between two processes through a shared ring buffer";
  }

  @Override
  public void run(TourContext context) throws Exception {
    String name = "mmkit-tour-ipc-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    Path ping = OneToOneChannel.pathOf(name + "-ping");
    Path pong = OneToOneChannel.pathOf(name + "-pong");
    ChannelOptions options =
        ChannelOptions.defaults().withWaitStrategy(WaitStrategy.blocking(20_000));
    try (ChannelSender out = OneToOneChannel.openSender(ping, options);
        ChannelReceiver in = OneToOneChannel.openReceiver(pong, options)) {
      context.say(
          "channels %s and %s: %s rings, messages up to %s in one record",
          ping.getFileName(),
          pong.getFileName(),
          Sizes.bytes(ChannelOptions.DEFAULT_CAPACITY),
          Sizes.bytes(out.maxRecordPayload()));
      Process peer =
          context.startPeer(
              IpcPeer.class,
              ping.toString(),
              pong.toString(),
              Integer.toString(WARMUP + ROUND_TRIPS + BURST));
      roundTrips(out, in, WARMUP);
      long[] nanos = roundTrips(out, in, ROUND_TRIPS);
      long burstNanos = burst(out, in);
      if (!peer.waitFor(60, TimeUnit.SECONDS) || peer.exitValue() != 0) {
        peer.destroyForcibly();
        throw new IllegalStateException("the second process failed");
      }
      Arrays.sort(nanos);
      context.say(
          "%,d round trips of 32 bytes (send, echo, receive), after %,d to warm up: median %s,"
              + " p90 %s, p99 %s",
          ROUND_TRIPS,
          WARMUP,
          Sizes.nanos(nanos[ROUND_TRIPS / 2]),
          Sizes.nanos(nanos[ROUND_TRIPS * 9 / 10]),
          Sizes.nanos(nanos[ROUND_TRIPS * 99 / 100]));
      context.say(
          "a burst of %,d messages there and back: %s, %,.0f messages/s each way",
          BURST, Sizes.nanos(burstNanos), BURST * 1e9 / burstNanos);
      context.say(
          "waits spin briefly, then sleep on a futex in the channel header: an idle receiver"
              + " costs no CPU, and a wake-up system call is made only when someone sleeps");
      context.say("`mmkit ipc bench` compares this with Unix domain sockets and TCP");
    } finally {
      Files.deleteIfExists(ping);
      Files.deleteIfExists(pong);
    }
  }

  /** Runs {@code count} round trips and returns the nanoseconds each took. */
  private static long[] roundTrips(ChannelSender out, ChannelReceiver in, int count) {
    MemorySegment message = MemorySegment.ofArray(new long[4]);
    long[] echoed = new long[1];
    long[] nanos = new long[count];
    for (int i = 0; i < count; i++) {
      // The first round trip of the warm-up also waits for the second JVM to start.
      message.set(ValueLayout.JAVA_LONG, 0, i);
      long start = System.nanoTime();
      out.send(message, PATIENCE);
      while (in.receive(m -> echoed[0] = m.get(ValueLayout.JAVA_LONG_UNALIGNED, 0), 1, PATIENCE)
          == 0) {
        Thread.onSpinWait();
      }
      nanos[i] = System.nanoTime() - start;
      if (echoed[0] != i) {
        throw new IllegalStateException("wrong echo: sent=" + i + ", got=" + echoed[0]);
      }
    }
    return nanos;
  }

  private static long burst(ChannelSender out, ChannelReceiver in) {
    MemorySegment message = MemorySegment.ofArray(new long[4]);
    long start = System.nanoTime();
    long received = 0;
    for (int i = 0; i < BURST; i++) {
      while (!out.offer(message)) {
        received += in.poll(m -> {}, 1024);
      }
      received += in.poll(m -> {}, 1024);
    }
    while (received < BURST) {
      received += in.receive(m -> {}, 1024, PATIENCE);
    }
    return System.nanoTime() - start;
  }
}
