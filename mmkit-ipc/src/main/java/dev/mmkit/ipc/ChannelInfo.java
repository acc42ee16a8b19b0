package dev.mmkit.ipc;

import dev.mmkit.core.ProcessIdentity;
import dev.mmkit.ipc.internal.ChannelFile;
import java.nio.file.Path;

/**
 * ChannelInfo is a snapshot of a channel file's header: what it is and who is attached. Reading it
 * attaches nothing and changes nothing.
 *
 * @param path the channel file
 * @param kind the kind of channel
 * @param capacity the ring capacity in bytes
 * @param head the consumer position (bytes consumed since creation)
 * @param tail the producer position (bytes reserved since creation)
 * @param consumerPid the pid of the recorded consumer, 0 when none
 * @param consumerAlive whether that consumer is alive
 * @param liveProducers how many attached producers are alive
 * @param creatorAlive whether the process that created the channel is alive
 * @param skippedClaims how many claims of dead producers consumers have skipped
 */
public record ChannelInfo(
    Path path,
    ChannelKind kind,
    long capacity,
    long head,
    long tail,
    long consumerPid,
    boolean consumerAlive,
    int liveProducers,
    boolean creatorAlive,
    long skippedClaims) {

  /**
   * Reads the header of the channel at {@code path}.
   *
   * @throws dev.mmkit.core.CorruptException when the file is not a valid channel
   * @throws dev.mmkit.core.MmkitException when it does not exist
   */
  public static ChannelInfo read(Path path) {
    try (ChannelFile file = ChannelFile.openExisting(path)) {
      long consumer = file.consumer();
      return new ChannelInfo(
          path,
          file.kind(),
          file.capacity(),
          file.headerLong(ChannelLayout.HEAD_OFFSET),
          file.headerLong(ChannelLayout.TAIL_OFFSET),
          ProcessIdentity.pidOf(consumer),
          consumer != 0 && ProcessIdentity.isAlive(consumer),
          file.liveProducers(),
          ProcessIdentity.isAlive(file.creator()),
          file.headerLong(ChannelLayout.SKIPPED_OFFSET));
    }
  }

  /** Returns whether nobody live uses the channel: no consumer, no producer, dead creator. */
  public boolean abandoned() {
    return !consumerAlive && liveProducers == 0 && !creatorAlive;
  }
}
