package dev.mmkit.bench.ipc;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * IpcTransport is one end of a two-way message link between two local processes, the small adapter
 * every IPC mechanism under test implements. Messages have a fixed size per benchmark.
 *
 * <p>mmkit-ipc's one-to-one channel is one implementation among the others ({@link
 * MmkitChannelTransport}).
 */
public interface IpcTransport extends AutoCloseable {

  /**
   * Sends the bytes between {@code message}'s position and limit, waiting while the link is full.
   */
  void send(ByteBuffer message) throws IOException;

  /**
   * Receives one message of {@code into.remaining()} bytes into {@code into}, waiting (spinning or
   * blocking, as the mechanism does) until it has arrived.
   */
  void receive(ByteBuffer into) throws IOException;

  /** Receives whatever has arrived, at least one message, and returns the bytes received. */
  long drain(ByteBuffer scratch, int messageSize) throws IOException;

  @Override
  void close() throws IOException;
}
