package dev.mmkit.harness.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * BlockTimer times the two kinds of block that every IPC measurement is made of, against a {@link
 * PeerProcess}: a block of round trips (each message echoed back by the peer, each timed alone) and
 * a block of one-way messages to a peer that drains them (timed from the first send to the peer's
 * acknowledgement of the last). The messages carry a fixed pattern; one timer serves one thread.
 */
public final class BlockTimer {
  private static final int ACK = 8;

  private final PeerProcess peer;
  private final ByteBuffer message;
  private final ByteBuffer reply;

  /** Creates a timer for messages of up to {@code maxSize} bytes on {@code peer}'s links. */
  public BlockTimer(PeerProcess peer, int maxSize) {
    this.peer = peer;
    this.message = ByteBuffer.allocateDirect(maxSize);
    for (int i = 0; i < maxSize; i++) {
      message.put(i, (byte) i);
    }
    this.reply = ByteBuffer.allocateDirect(Math.max(ACK, maxSize));
  }

  /**
   * Runs {@code nanos.length} round trips of {@code size} bytes on {@code kind} and stores the
   * duration of each in {@code nanos}.
   */
  public void roundTrips(TransportKind kind, int size, long[] nanos) throws IOException {
    IpcTransport link = peer.link(kind);
    peer.echo(kind, size, nanos.length);
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      message.clear().limit(size);
      link.send(message);
      reply.clear().limit(size);
      link.receive(reply);
      nanos[i] = System.nanoTime() - start;
    }
  }

  /**
   * Sends {@code count} messages of {@code size} bytes on {@code kind} to the peer, which drains
   * them, and returns messages per second up to its acknowledgement.
   *
   * @throws IllegalArgumentException for a kind that is no {@link TransportKind.Role#CHANNEL}
   */
  public double oneWay(TransportKind kind, int size, long count) throws IOException {
    IpcTransport link = peer.link(kind);
    peer.drain(kind, size, count);
    long start = System.nanoTime();
    for (long i = 0; i < count; i++) {
      message.clear().limit(size);
      link.send(message);
    }
    reply.clear().limit(ACK);
    link.receive(reply);
    return count * 1e9 / (System.nanoTime() - start);
  }
}
