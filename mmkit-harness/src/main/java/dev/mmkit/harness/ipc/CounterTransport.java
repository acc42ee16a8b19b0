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
 * CounterTransport is the floor of a round trip between two processes on this machine: one 8-byte
 * counter in a file (under {@code /dev/shm}, where {@link PeerProcess} puts its links) mapped by
 * both, that each side bumps in turn while the other busy-spins on it. No ring, no payload, no
 * checks: a round trip is the counter's cache line travelling to the other core and back, which
 * every shared-memory channel's round trip is made of too, so channels are measured against it.
 *
 * <pre>
 * Counter file (one page; only the first 8 bytes are used)
 *   +-----------------------------+
 *   | counter (long, native order)|   odd: the first process bumped it last; even: the peer
 *   +-----------------------------+
 *   0                             8
 * </pre>
 *
 * <p>Each side keeps the last value it saw or wrote; a send stores that value plus one (a release
 * store), a receive spins until the counter holds that value plus one (acquire loads). The bytes of
 * a message are ignored both ways: it carries no payload, so it runs round trips only.
 */
final class CounterTransport implements IpcTransport {
  private static final long FILE_LENGTH = 4096;
  private static final VarHandle COUNTER =
      ValueLayout.JAVA_LONG.varHandle().withInvokeExactBehavior();

  private final Arena arena = Arena.ofShared();
  private final MemorySegment counter;
  private final SpinWait wait;
  private long value;

  private CounterTransport(Path file, Duration patience) throws IOException {
    try (FileChannel channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      if (channel.size() < FILE_LENGTH) {
        channel.write(ByteBuffer.allocate(1), FILE_LENGTH - 1);
      }
      this.counter = channel.map(FileChannel.MapMode.READ_WRITE, 0, FILE_LENGTH, arena);
    }
    this.wait = new SpinWait(patience, "floor");
  }

  /**
   * Maps the counter file in {@code directory}, creating it if needed. Both sides call this, the
   * first process before its peer: the protocol is the same for both.
   */
  static CounterTransport link(Path directory, Duration patience) throws IOException {
    return new CounterTransport(directory.resolve("floor-counter"), patience);
  }

  @Override
  public void send(ByteBuffer message) {
    COUNTER.setRelease(counter, 0L, ++value);
    message.position(message.limit());
  }

  @Override
  public void receive(ByteBuffer into) throws IOException {
    long next = value + 1;
    wait.begin();
    while ((long) COUNTER.getAcquire(counter, 0L) != next) {
      wait.spin();
    }
    value = next;
    into.position(into.limit());
  }

  /** Returns the value this side saw or wrote last. */
  long value() {
    return value;
  }

  @Override
  public long drain(ByteBuffer scratch) {
    throw new UnsupportedOperationException(
        "a bare counter carries no messages: round trips only: transport=floor");
  }

  @Override
  public void close() {
    arena.close();
  }
}
