package dev.mmkit.cli.ipc;

import dev.mmkit.cli.ExitCode;
import dev.mmkit.ipc.ChannelReceiver;
import dev.mmkit.ipc.MessageHandler;
import dev.mmkit.ipc.OneToOneChannel;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.zip.CRC32C;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * IpcRecvCommand writes what {@code mmkit ipc send} puts into a channel to standard output and
 * exits 0 at the end of the stream, after checking its length and CRC32C. If the sender dies before
 * the end, it exits 3 within about two seconds.
 */
@Command(
    name = "recv",
    mixinStandardHelpOptions = true,
    description = {
      "Write what 'mmkit ipc send' sends on a channel to standard output.",
      "Exit 0 at end of stream; 3 if the sender died or the stream is damaged."
    })
final class IpcRecvCommand implements Callable<Integer> {
  private static final Duration SLICE = Duration.ofSeconds(1);

  @Parameters(paramLabel = "PATH", description = "The channel file, or a name under /dev/shm.")
  String channel;

  @Option(names = "--keep", description = "Keep the channel file after the end of the stream.")
  boolean keep;

  @Spec CommandSpec spec;

  private final CRC32C crc = new CRC32C();
  private byte[] copy = new byte[0];
  private OutputStream out;
  private boolean started;
  private boolean ended;
  private long received;
  private String damage;

  @Override
  public Integer call() throws Exception {
    Path path = IpcCommand.channelPath(channel);
    out = new FileOutputStream(FileDescriptor.out);
    try (ChannelReceiver receiver =
        OneToOneChannel.openReceiver(path, IpcCommand.streamOptions())) {
      MessageHandler handler = this::onFrame;
      while (!ended && damage == null) {
        if (receiver.receive(handler, 64, SLICE) > 0 || ended) {
          continue;
        }
        if (receiver.skippedClaims() > 0) {
          return fail("sender died in the middle of a message: received=" + received + " bytes");
        }
        boolean senderGone =
            receiver.producerAttachCount() > 0
                && receiver.liveProducers() == 0
                && receiver.poll(handler, 64) == 0
                && !ended;
        if (senderGone) {
          return fail(
              "sender died before the end of the stream: file="
                  + path
                  + ", received="
                  + received
                  + " bytes");
        }
      }
    } finally {
      out.flush();
    }
    if (damage != null) {
      return fail(damage);
    }
    if (!keep) {
      Files.deleteIfExists(path);
    }
    return ExitCode.OK;
  }

  private void onFrame(MemorySegment frame) {
    if (frame.byteSize() == 0) {
      damage = "empty frame in stream";
      return;
    }
    byte type = frame.get(ValueLayout.JAVA_BYTE, 0);
    if (type == StreamFrame.START) {
      if (started && received > 0) {
        damage =
            "the channel held an unfinished stream from a sender that died before this one started;"
                + " delete the channel file to start afresh";
      }
      started = true;
      return;
    }
    if (!started) {
      return;
    }
    if (type == StreamFrame.DATA) {
      int length = (int) frame.byteSize() - 1;
      if (copy.length < length) {
        copy = new byte[length];
      }
      MemorySegment.copy(frame, ValueLayout.JAVA_BYTE, 1, copy, 0, length);
      crc.update(copy, 0, length);
      received += length;
      try {
        out.write(copy, 0, length);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    } else if (type == StreamFrame.END && frame.byteSize() == StreamFrame.END_LENGTH) {
      long total = frame.get(ValueLayout.JAVA_LONG_UNALIGNED, 1);
      int checksum = frame.get(ValueLayout.JAVA_INT_UNALIGNED, 9);
      if (total != received || checksum != (int) crc.getValue()) {
        damage =
            "stream damaged: sentBytes="
                + total
                + ", receivedBytes="
                + received
                + ", checksumMatches="
                + (checksum == (int) crc.getValue());
      }
      ended = true;
    } else {
      damage = "unknown frame in stream: type=" + type;
    }
  }

  private int fail(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("mmkit: " + message);
    err.flush();
    return ExitCode.BAD_DATA;
  }
}
