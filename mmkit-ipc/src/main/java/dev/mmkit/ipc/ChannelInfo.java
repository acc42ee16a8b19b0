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
 * @param consumerPid the pid of the recorded consumer, 0 when none is recorded (none attached yet,
 *     or the last one closed its receiver)
 * @param consumerAlive whether that consumer is alive
 * @param liveProducers how many attached producers are alive
 * @param creatorAlive whether the process that created the channel is alive
 * @param skippedClaims how many claims of dead producers consumers have skipped
 * @param consumerState whether a consumer is attached, closed, dead, or has never attached
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
    long skippedClaims,
    ConsumerState consumerState) {

  /**
   * Reads the header of the channel at {@code path}.
   *
   * @throws dev.mmkit.core.CorruptException when the file is not a valid channel
   * @throws dev.mmkit.core.MmkitException when it does not exist
   */
  public static ChannelInfo read(Path path) {
    try (ChannelFile file = ChannelFile.openExisting(path)) {
      long consumer = file.consumer();
      ConsumerState consumerState = ChannelFile.consumerStateOf(consumer);
      boolean recorded =
          consumerState == ConsumerState.ATTACHED || consumerState == ConsumerState.DEAD;
      return new ChannelInfo(
          path,
          file.kind(),
          file.capacity(),
          file.headerLong(ChannelLayout.HEAD_OFFSET),
          file.headerLong(ChannelLayout.TAIL_OFFSET),
          recorded ? ProcessIdentity.pidOf(consumer) : 0,
          consumerState == ConsumerState.ATTACHED,
          file.liveProducers(),
          ProcessIdentity.isAlive(file.creator()),
          file.headerLong(ChannelLayout.SKIPPED_OFFSET),
          consumerState);
    }
  }

  /** Returns whether nobody live uses the channel: no consumer, no producer, dead creator. */
  public boolean abandoned() {
    return !consumerAlive && liveProducers == 0 && !creatorAlive;
  }
}
