package dev.mmkit.ipc;

import dev.mmkit.core.MappedFile;
import dev.mmkit.core.Mapping;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;

/**
 * ChannelPeer is the other process of the cross-process tests: it plays one role on a channel and
 * prints what it did, one line per step, so the test can wait for a step and then kill it.
 */
public final class ChannelPeer {
  private ChannelPeer() {}

  /** Runs the role named by {@code args[0]} on the channel at {@code args[1]}. */
  public static void main(String[] args) throws Exception {
    Path path = Path.of(args[1]);
    ChannelOptions options = ChannelOptions.defaults().withCapacity(64 << 10);
    switch (args[0]) {
      case "send-then-claim" -> sendThenClaim(path, options, Integer.parseInt(args[2]), args[3]);
      case "send-forever" -> sendForever(path, options, Integer.parseInt(args[2]), args[3]);
      case "echo" -> echo(path, Path.of(args[2]), options);
      case "consume-some" -> consumeSome(path, options, Integer.parseInt(args[2]));
      case "consume-and-close" -> consumeAndClose(path, options, Integer.parseInt(args[2]));
      default -> throw new IllegalArgumentException(args[0]);
    }
  }

  static ChannelSender sender(Path path, ChannelOptions options, String kind) {
    return kind.equals("many")
        ? ManyToOneChannel.openSender(path, options)
        : OneToOneChannel.openSender(path, options);
  }

  /** Sends {@code count} numbered messages, then claims one more and never commits it. */
  private static void sendThenClaim(Path path, ChannelOptions options, int count, String kind)
      throws InterruptedException {
    ChannelSender sender = sender(path, options, kind);
    MemorySegment message = MemorySegment.ofArray(new long[1]);
    for (long i = 0; i < count; i++) {
      message.set(ValueLayout.JAVA_LONG, 0, i);
      sender.send(message, Duration.ofSeconds(30));
    }
    long offset = sender.tryClaim(8);
    sender.buffer().set(ValueLayout.JAVA_LONG_UNALIGNED, offset, -1L);
    System.out.println("CLAIMED " + count);
    Thread.sleep(60_000);
  }

  /**
   * Sends numbered messages (producer id, sequence) as fast as the consumer takes them, recording
   * each acknowledged commit in a counter file, until killed.
   */
  private static void sendForever(Path path, ChannelOptions options, int id, String counter) {
    try (MappedFile file = MappedFile.open(Path.of(counter), dev.mmkit.core.MapMode.READ_WRITE);
        Mapping committed = file.map(0, 4096);
        ChannelSender sender = sender(path, options, "many")) {
      MemorySegment message = MemorySegment.ofArray(new long[2 + id % 7]);
      message.set(ValueLayout.JAVA_LONG, 0, id);
      for (long i = 0; ; i++) {
        message.set(ValueLayout.JAVA_LONG, 8, i);
        if (i % 3 == 0) {
          long offset = sender.tryClaim((int) message.byteSize());
          while (offset == ChannelSender.FULL) {
            Thread.onSpinWait();
            offset = sender.tryClaim((int) message.byteSize());
          }
          MemorySegment.copy(message, 0, sender.buffer(), offset, message.byteSize());
          sender.commit(offset);
        } else {
          sender.send(message, Duration.ofSeconds(30));
        }
        committed.atomics().setLongRelease(8L * id, i + 1);
        if (i == 0) {
          System.out.println("STARTED " + id);
        }
      }
    }
  }

  /** Receives messages on {@code in} and sends each back on {@code out}, until killed. */
  private static void echo(Path in, Path out, ChannelOptions options) {
    try (ChannelReceiver receiver = OneToOneChannel.openReceiver(in, options);
        ChannelSender sender = OneToOneChannel.openSender(out, options)) {
      System.out.println("READY");
      MessageHandler echo = message -> sender.send(message, Duration.ofSeconds(30));
      while (true) {
        receiver.receive(echo, 100, Duration.ofSeconds(60));
      }
    }
  }

  /** Attaches as consumer, takes {@code count} messages, closes its receiver and exits. */
  private static void consumeAndClose(Path path, ChannelOptions options, int count) {
    try (ChannelReceiver receiver = OneToOneChannel.openReceiver(path, options)) {
      int taken = 0;
      while (taken < count) {
        taken += receiver.receive(m -> {}, count - taken, Duration.ofSeconds(30));
      }
      System.out.println("CONSUMED " + taken);
    }
    System.out.println("CLOSED");
  }

  /** Attaches as consumer, takes {@code count} messages, then waits to be killed. */
  private static void consumeSome(Path path, ChannelOptions options, int count)
      throws InterruptedException {
    ChannelReceiver receiver = OneToOneChannel.openReceiver(path, options);
    int taken = 0;
    while (taken < count) {
      taken += receiver.receive(m -> {}, count - taken, Duration.ofSeconds(30));
    }
    System.out.println("CONSUMED " + taken);
    Thread.sleep(60_000);
  }
}
