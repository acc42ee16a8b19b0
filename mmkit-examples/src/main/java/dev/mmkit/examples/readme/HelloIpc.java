package dev.mmkit.examples.readme;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mmkit.ipc.ChannelReceiver;
import dev.mmkit.ipc.ChannelSender;
import dev.mmkit.ipc.OneToOneChannel;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;

/** Sends "hello" to another process through a channel in shared memory, or receives it. */
public class HelloIpc {
  public static void main(String[] args) { // HelloIpc send|receive CHANNEL
    Path channel = OneToOneChannel.pathOf(args[1]); // /dev/shm/CHANNEL
    if (args[0].equals("send")) {
      try (ChannelSender sender = OneToOneChannel.openSender(channel)) {
        sender.send(MemorySegment.ofArray("hello".getBytes(UTF_8)), Duration.ofSeconds(5));
      }
    } else {
      try (ChannelReceiver receiver = OneToOneChannel.openReceiver(channel)) {
        receiver.receive(
            m -> System.out.println(new String(m.toArray(ValueLayout.JAVA_BYTE), UTF_8)),
            1,
            Duration.ofSeconds(30));
      }
    }
  }
}
