package dev.mmkit.ipc;

import dev.mmkit.core.SharedMemory;
import dev.mmkit.ipc.internal.ChannelFile;
import dev.mmkit.ipc.internal.RingReceiver;
import dev.mmkit.ipc.internal.RingSender;
import java.nio.file.Path;

/**
 * ManyToOneChannel is a channel from any number of producers, in any number of processes, to one
 * consumer, over a ring buffer in a shared file. Producers reserve room with a compare-and-set on
 * the tail, so they never block each other while writing; messages of one producer arrive in the
 * order it sent them. Up to 64 producers can be attached at once.
 *
 * <p>The file (see {@link ChannelLayout}) is created on first open, 0600, and holds the consumer
 * position, so a consumer that replaces a dead one continues where it stopped. Files named without
 * a directory live under {@code /dev/shm} ({@link #pathOf}).
 *
 * <pre>{@code
 * try (ChannelSender sender = ManyToOneChannel.openSender(ManyToOneChannel.pathOf("orders"))) {
 *   sender.send(MemorySegment.ofArray(bytes), Duration.ofSeconds(1));
 * }
 * // in another process
 * try (ChannelReceiver receiver = ManyToOneChannel.openReceiver(ManyToOneChannel.pathOf("orders"))) {
 *   receiver.receive(message -> handle(message), 100, Duration.ofSeconds(1));
 * }
 * }</pre>
 */
public final class ManyToOneChannel {
  private ManyToOneChannel() {}

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
        path, ChannelKind.MANY_TO_ONE, options, file -> new RingSender(file, true));
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
        path, ChannelKind.MANY_TO_ONE, options, file -> new RingReceiver(file));
  }
}
