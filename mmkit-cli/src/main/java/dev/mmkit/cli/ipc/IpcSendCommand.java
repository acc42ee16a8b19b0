package dev.mmkit.cli.ipc;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.ipc.ChannelSender;
import dev.mmkit.ipc.OneToOneChannel;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.zip.CRC32C;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * IpcSendCommand copies standard input into a one-to-one channel, framed (see {@link StreamFrame}),
 * and ends with an end-of-stream frame carrying the length and CRC32C.
 */
@Command(
    name = "send",
    mixinStandardHelpOptions = true,
    description = {
      "Copy standard input into a channel, for 'mmkit ipc recv' in another process.",
      "PATH without a slash names a channel under /dev/shm. Exit 4 if the receiver dies."
    })
final class IpcSendCommand implements Callable<Integer> {
  private static final int CHUNK = 256 << 10;

  @Parameters(paramLabel = "PATH", description = "The channel file, or a name under /dev/shm.")
  String channel;

  @Option(
      names = "--timeout",
      description = "Give up when the channel stays full this long (default: ${DEFAULT-VALUE}).",
      defaultValue = "PT1H")
  Duration timeout;

  @Override
  public Integer call() throws Exception {
    Path path = IpcCommand.channelPath(channel);
    try (ChannelSender sender = OneToOneChannel.openSender(path, IpcCommand.streamOptions())) {
      int chunk = Math.min(CHUNK, sender.maxRecordPayload() - 1);
      byte[] frame = new byte[1 + chunk];
      MemorySegment frames = MemorySegment.ofArray(frame);
      frame[0] = StreamFrame.START;
      frames.set(ValueLayout.JAVA_LONG_UNALIGNED, 1, ProcessHandle.current().pid());
      sender.send(frames.asSlice(0, StreamFrame.START_LENGTH), timeout);
      CRC32C crc = new CRC32C();
      long total = 0;
      InputStream in = new FileInputStream(FileDescriptor.in);
      frame[0] = StreamFrame.DATA;
      int n;
      while ((n = in.read(frame, 1, chunk)) >= 0) {
        if (n == 0) {
          continue;
        }
        crc.update(frame, 1, n);
        total += n;
        sender.send(frames.asSlice(0, 1 + n), timeout);
      }
      frame[0] = StreamFrame.END;
      frames.set(ValueLayout.JAVA_LONG_UNALIGNED, 1, total);
      frames.set(ValueLayout.JAVA_INT_UNALIGNED, 9, (int) crc.getValue());
      sender.send(frames.asSlice(0, StreamFrame.END_LENGTH), timeout);
    }
    return ExitCode.OK;
  }
}
