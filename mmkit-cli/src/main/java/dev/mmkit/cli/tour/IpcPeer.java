package dev.mmkit.cli.tour;

import dev.mmkit.ipc.ChannelOptions;
import dev.mmkit.ipc.ChannelReceiver;
import dev.mmkit.ipc.ChannelSender;
import dev.mmkit.ipc.MessageHandler;
import dev.mmkit.ipc.OneToOneChannel;
import java.nio.file.Path;
import java.time.Duration;

/**
 * IpcPeer is the second process of {@link IpcStep}: it sends back every message it receives on the
 * first channel on the second one, until it has echoed the given number of messages.
 */
public final class IpcPeer {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private IpcPeer() {}

  /** Echoes messages: arguments are the inbound channel, the outbound channel and the count. */
  public static void main(String[] args) {
    ChannelOptions options = ChannelOptions.defaults();
    try (ChannelReceiver in = OneToOneChannel.openReceiver(Path.of(args[0]), options);
        ChannelSender out = OneToOneChannel.openSender(Path.of(args[1]), options)) {
      long count = Long.parseLong(args[2]);
      long[] echoed = new long[1];
      MessageHandler echo =
          message -> {
            out.send(message, PATIENCE);
            echoed[0]++;
          };
      while (echoed[0] < count) {
        if (in.receive(echo, 256, PATIENCE) == 0) {
          throw new IllegalStateException("no message for " + PATIENCE);
        }
      }
    }
  }
}
