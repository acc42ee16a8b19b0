package dev.mmkit.harness.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * IpcTransport is one end of a two-way message link between two local processes, the small adapter
 * every IPC mechanism under test implements. Messages have a fixed size per measurement, known to
 * both ends. {@link TransportKind} lists the implementations and sets up both ends.
 *
 * <p>An end waits for at most its patience (given when it is made) and then fails with an {@link
 * IOException}, so that a measurement whose peer died ends instead of spinning forever.
 */
public interface IpcTransport extends AutoCloseable {

  /**
   * Sends the bytes between {@code message}'s position and limit, waiting while the link is full,
   * and moves the position to the limit. A reference transport that carries no payload sends a
   * signal instead and ignores the bytes.
   */
  void send(ByteBuffer message) throws IOException;

  /**
   * Receives one message of {@code into.remaining()} bytes into {@code into}, waiting (spinning or
   * blocking, as the mechanism does) until it has arrived, and moves the position past it. A
   * reference transport that carries no payload leaves the bytes alone and moves the position to
   * the limit.
   */
  void receive(ByteBuffer into) throws IOException;

  /**
   * Receives whatever has arrived, waiting for at least one byte, and returns the bytes received.
   * Only {@link TransportKind.Role#CHANNEL} transports drain; {@code scratch} is room the mechanism
   * may read into.
   *
   * @throws UnsupportedOperationException for a reference transport, which holds one message
   */
  long drain(ByteBuffer scratch) throws IOException;

  @Override
  void close() throws IOException;
}
