package dev.mmkit.cli.ipc;

/**
 * StreamFrame is the framing {@code mmkit ipc send} and {@code recv} put on a byte stream: every
 * channel message starts with a one-byte frame type.
 *
 * <pre>
 *   'S' start:  'S' | sender pid (8)
 *   'D' data:   'D' | bytes of the stream (up to the channel's largest record)
 *   'E' end:    'E' | total bytes (8) | CRC32C of the whole stream (4)
 * </pre>
 *
 * The receiver ignores frames before the first start frame and checks the total and the checksum at
 * the end.
 */
final class StreamFrame {
  static final byte START = 'S';
  static final byte DATA = 'D';
  static final byte END = 'E';
  static final int END_LENGTH = 1 + 8 + 4;
  static final int START_LENGTH = 1 + 8;

  private StreamFrame() {}
}
