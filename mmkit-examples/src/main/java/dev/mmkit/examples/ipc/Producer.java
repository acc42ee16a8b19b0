package dev.mmkit.examples.ipc;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mmkit.ipc.ChannelSender;
import dev.mmkit.ipc.OneToOneChannel;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Producer sends numbered messages through a one-to-one channel, then an end marker. Start it
 * beside a {@link Consumer} in another process, in either order: the channel file is created by
 * whichever comes first, and messages wait in it until the consumer takes them.
 *
 * <pre>
 * java --enable-native-access=dev.mmkit.core -p MODULE_PATH \
 *     -m dev.mmkit.examples/dev.mmkit.examples.ipc.Producer orders 1000
 * </pre>
 */
public final class Producer {
  /** The message that ends the stream. */
  static final String END = "end";

  private Producer() {}

  /** Sends as many messages as the second argument says on the channel named by the first. */
  public static void main(String[] args) {
    Path channel = OneToOneChannel.pathOf(args[0]);
    int count = Integer.parseInt(args[1]);
    try (ChannelSender sender = OneToOneChannel.openSender(channel)) {
      for (int i = 0; i < count; i++) {
        send(sender, "message " + i);
      }
      send(sender, END);
    }
    System.out.println("sent=" + count);
  }

  private static void send(ChannelSender sender, String text) {
    // Waits while the ring is full, at most 10 seconds; throws if the consumer died meanwhile.
    sender.send(MemorySegment.ofArray(text.getBytes(UTF_8)), Duration.ofSeconds(10));
  }
}
