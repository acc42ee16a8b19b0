package dev.mmkit.harness.ipc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * MailboxTransport is a reference for round trips between two processes: one fixed slot per
 * direction, a sequence word followed by the payload, that the sender overwrites without waiting
 * and the receiver spins on. No ring, no positions, no checks. It is not a channel (a second
 * message sent before the first is read overwrites it), so it only runs round trips, beside the
 * rings, to show what a ring's bookkeeping costs over one slot. For small messages the same one or
 * two cache lines travel every time; for 4 KiB a ring can beat it, because a ring's sender writes
 * lines nobody holds while the mailbox's sender must take back the lines the receiver has just
 * read.
 *
 * <pre>
 * Slot file (8 + 4096 bytes per direction)
 *   +----------------+----------------+---------------------------+
 *   | sequence       | length         | payload (up to 4096 bytes) |
 *   | 4              | 4              |                           |
 *   +----------------+----------------+---------------------------+
 *   0                4                8
 * </pre>
 */
final class MailboxTransport implements IpcTransport {
  private static final int PAYLOAD = 4096;
  private static final long SLOT_LENGTH = 8 + PAYLOAD;
  private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle().withInvokeExactBehavior();

  private final Arena arena = Arena.ofShared();
  private final MemorySegment out;
  private final MemorySegment in;
  private final ByteBuffer outBytes;
  private final ByteBuffer inBytes;
  private final SpinWait wait;
  private int sent;
  private int received;

  private MailboxTransport(Path outFile, Path inFile, Duration patience) throws IOException {
    this.out = map(outFile);
    this.in = map(inFile);
    this.outBytes = out.asByteBuffer();
    this.inBytes = in.asByteBuffer();
    this.wait = new SpinWait(patience, "mailbox");
  }

  /**
   * Maps this process's end in {@code directory}, creating the slot files if needed: the first
   * process writes to slot {@code a} and reads {@code b}, its peer the other way round.
   */
  static MailboxTransport link(Path directory, boolean first, Duration patience)
      throws IOException {
    Path a = directory.resolve("mailbox-a");
    Path b = directory.resolve("mailbox-b");
    return first ? new MailboxTransport(a, b, patience) : new MailboxTransport(b, a, patience);
  }

  private MemorySegment map(Path path) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (channel.size() < SLOT_LENGTH) {
        channel.write(ByteBuffer.allocate(1), SLOT_LENGTH - 1);
      }
      return channel.map(FileChannel.MapMode.READ_WRITE, 0, SLOT_LENGTH, arena);
    }
  }

  @Override
  public void send(ByteBuffer message) {
    int length = message.remaining();
    outBytes.put(8, message, message.position(), length);
    out.set(ValueLayout.JAVA_INT, 4, length);
    INT.setRelease(out, 0L, ++sent);
    message.position(message.limit());
  }

  @Override
  public void receive(ByteBuffer into) throws IOException {
    wait.begin();
    while ((int) INT.getAcquire(in, 0L) == received) {
      wait.spin();
    }
    received++;
    int length = in.get(ValueLayout.JAVA_INT, 4);
    into.put(into.position(), inBytes, 8, length);
    into.position(into.position() + length);
  }

  @Override
  public long drain(ByteBuffer scratch) {
    throw new UnsupportedOperationException(
        "a mailbox holds one message: round trips only: transport=mailbox");
  }

  @Override
  public void close() {
    arena.close();
  }
}
