package dev.mmkit.ipc;

import dev.mmkit.core.SharedMemory;
import dev.mmkit.ipc.internal.BroadcastListener;
import dev.mmkit.ipc.internal.BroadcastTransmitter;
import dev.mmkit.ipc.internal.ChannelFile;
import java.nio.file.Path;

/**
 * OneToManyBroadcast is a channel from one transmitter to any number of receivers in any processes,
 * each of which sees every message. The transmitter never waits for receivers; a receiver that
 * falls more than a ring behind is lapped, learns it, and is told how many messages it lost (see
 * {@link BroadcastReceiver}). Receivers attach at the current end: they see messages transmitted
 * after they attached.
 *
 * <p>Messages up to capacity / 8 - 16 bytes go as one record; longer ones, up to half the ring (and
 * at most {@link ChannelOptions#maxMessageLength()}), are split into fragments and put back
 * together by each receiver. A receiver lapped in the middle of a fragmented message loses that
 * message and counts it in {@link BroadcastReceiver#lostMessages()}.
 */
public final class OneToManyBroadcast {
  private OneToManyBroadcast() {}

  /** Returns the path of the channel named {@code name} under {@link SharedMemory#directory()}. */
  public static Path pathOf(String name) {
    return SharedMemory.pathOf(name);
  }

  /**
   * Attaches the transmitter to the broadcast at {@code path}, creating it with {@code options}
   * when it does not exist.
   *
   * @throws dev.mmkit.core.MmkitException when another live transmitter is attached
   */
  public static BroadcastSender openSender(Path path, ChannelOptions options) {
    return ChannelFile.attach(
        path, ChannelKind.ONE_TO_MANY, options, file -> new BroadcastTransmitter(file));
  }

  /**
   * Attaches a receiver to the broadcast at {@code path}, creating it with {@code options} when it
   * does not exist.
   */
  public static BroadcastReceiver openReceiver(Path path, ChannelOptions options) {
    return ChannelFile.attach(
        path, ChannelKind.ONE_TO_MANY, options, file -> new BroadcastListener(file));
  }
}
