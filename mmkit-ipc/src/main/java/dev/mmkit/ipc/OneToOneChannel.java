package dev.mmkit.ipc;

import dev.mmkit.core.SharedMemory;
import dev.mmkit.ipc.internal.ChannelFile;
import dev.mmkit.ipc.internal.RingReceiver;
import dev.mmkit.ipc.internal.RingSender;
import java.nio.file.Path;

/**
 * OneToOneChannel is a channel between one producer and one consumer, each in any process, over a
 * ring buffer in a shared file. At most one live producer and one live consumer are attached at a
 * time; a second one is refused while the first lives, and replaces it once it is dead.
 *
 * <p>The file (see {@link ChannelLayout}) is created on first open, 0600, and holds the consumer
 * position, so a consumer that replaces a dead one continues where it stopped. Files named without
 * a directory live under {@code /dev/shm} ({@link #pathOf}).
 *
 * <pre>{@code
 * try (ChannelSender sender = OneToOneChannel.openSender(OneToOneChannel.pathOf("orders"))) {
 *   sender.send(MemorySegment.ofArray(bytes), Duration.ofSeconds(1));
 * }
 * // in another process
 * try (ChannelReceiver receiver = OneToOneChannel.openReceiver(OneToOneChannel.pathOf("orders"))) {
 *   receiver.receive(message -> handle(message), 100, Duration.ofSeconds(1));
 * }
 * }</pre>
 */
public final class OneToOneChannel {
  private OneToOneChannel() {}

  /** Returns the path of the channel named {@code name} under {@link SharedMemory#directory()}. */
  public static Path pathOf(String name) {
    return SharedMemory.pathOf(name);
  }

  /** Attaches a producer to the channel at {@code path}, creating it with the default options. */
  public static ChannelSender openSender(Path path) {
    return openSender(path, ChannelOptions.defaults());
  }

  /**
   * Attaches a producer to the channel at {@code path}, creating the file with {@code options} when
   * it does not exist.
   *
   * @throws dev.mmkit.core.CorruptException when the file is not a valid channel of this kind
   * @throws dev.mmkit.core.MmkitException when no producer can attach
   */
  public static ChannelSender openSender(Path path, ChannelOptions options) {
    return ChannelFile.attach(
        path, ChannelKind.ONE_TO_ONE, options, file -> new RingSender(file, false));
  }

  /** Attaches the consumer to the channel at {@code path}, creating it with the default options. */
  public static ChannelReceiver openReceiver(Path path) {
    return openReceiver(path, ChannelOptions.defaults());
  }

  /**
   * Attaches the consumer to the channel at {@code path}, creating the file with {@code options}
   * when it does not exist.
   *
   * @throws dev.mmkit.core.CorruptException when the file is not a valid channel of this kind
   * @throws dev.mmkit.core.MmkitException when a live consumer is already attached
   */
  public static ChannelReceiver openReceiver(Path path, ChannelOptions options) {
    return ChannelFile.attach(
        path, ChannelKind.ONE_TO_ONE, options, file -> new RingReceiver(file));
  }
}
