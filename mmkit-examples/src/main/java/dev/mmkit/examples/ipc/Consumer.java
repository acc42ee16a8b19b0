package dev.mmkit.examples.ipc;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mmkit.ipc.ChannelReceiver;
import dev.mmkit.ipc.OneToOneChannel;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Consumer receives the messages a {@link Producer} in another process sends, until the end marker,
 * and prints how many arrived, the sum of their numbers and whether they came in order. It exits
 * with 1 when nothing arrives for 30 seconds.
 *
 * <pre>
 * java --enable-native-access=dev.mmkit.core -p MODULE_PATH \
 *     -m dev.mmkit.examples/dev.mmkit.examples.ipc.Consumer orders
 * </pre>
 */
public final class Consumer {
  private long received;
  private long sum;
  private boolean inOrder = true;
  private boolean ended;

  private Consumer() {}

  /** Receives from the channel named by the first argument until the producer's end marker. */
  public static void main(String[] args) {
    Path channel = OneToOneChannel.pathOf(args[0]);
    Consumer consumer = new Consumer();
    try (ChannelReceiver receiver = OneToOneChannel.openReceiver(channel)) {
      while (!consumer.ended) {
        // Sleeps on a futex until a message comes; the view of each message is valid only
        // inside the handler, so it is decoded there.
        int got =
            receiver.receive(
                message ->
                    consumer.handle(new String(message.toArray(ValueLayout.JAVA_BYTE), UTF_8)),
                100,
                Duration.ofSeconds(30));
        if (got == 0) {
          System.out.println("timed out after received=" + consumer.received);
          System.exit(1);
        }
      }
    }
    System.out.println(
        "received=" + consumer.received + " sum=" + consumer.sum + " inOrder=" + consumer.inOrder);
  }

  private void handle(String text) {
    if (text.equals(Producer.END)) {
      ended = true;
      return;
    }
    long number = Long.parseLong(text.substring("message ".length()));
    inOrder &= number == received;
    sum += number;
    received++;
  }
}
