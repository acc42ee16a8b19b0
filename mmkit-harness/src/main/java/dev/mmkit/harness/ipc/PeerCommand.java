package dev.mmkit.harness.ipc;

import java.util.Locale;

/**
 * PeerCommand is one line of the protocol between a {@link PeerProcess} and its {@link BenchPeer},
 * which runs over the peer's standard input and output, never over the links being measured:
 *
 * <pre>
 * first process -> peer (stdin)          peer -> first process (stdout)
 *                                        ready              all links connected
 * echo  KIND SIZE COUNT                  go                 then echoes COUNT messages
 * drain KIND SIZE COUNT                  go                 then drains COUNT messages and sends
 *                                                           an 8-byte acknowledgement on KIND
 * idle  KIND 8 1                         go, cpu NANOS      waits in one receive on KIND, then
 *                                                           tells its thread's CPU time meanwhile
 * </pre>
 *
 * A COUNT of -1 means without end: the peer serves until the first process closes its standard
 * input, and then exits.
 *
 * @param verb what the peer does
 * @param kind on which link
 * @param size the size of each message, in bytes
 * @param count how many messages, or {@link #FOREVER}
 */
record PeerCommand(Verb verb, TransportKind kind, int size, long count) {
  /** The peer's line once every link is connected. */
  static final String READY = "ready";

  /** The peer's line once it serves a command. */
  static final String GO = "go";

  /** A count that means: until the first process goes away. */
  static final long FOREVER = -1;

  private static final String CPU = "cpu ";

  /** Verb is what a command asks the peer to do. */
  enum Verb {
    /** Receive each message and send it back. */
    ECHO,
    /** Receive messages as fast as they come, then acknowledge them. */
    DRAIN,
    /** Wait in one receive and report the CPU time spent waiting. */
    IDLE
  }

  /** Returns the command as the line the peer reads. */
  String line() {
    return verb.name().toLowerCase(Locale.ROOT) + " " + kind.label() + " " + size + " " + count;
  }

  /**
   * Reads a command line.
   *
   * @throws IllegalArgumentException if the line is no command
   */
  static PeerCommand parse(String line) {
    String[] words = line.split(" ");
    if (words.length != 4) {
      throw new IllegalArgumentException("not a peer command: line=" + line);
    }
    try {
      return new PeerCommand(
          Verb.valueOf(words[0].toUpperCase(Locale.ROOT)),
          TransportKind.named(words[1]),
          Integer.parseInt(words[2]),
          Long.parseLong(words[3]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("not a peer command: line=" + line, e);
    }
  }

  /** Returns the peer's report of {@code nanos} of thread CPU time. */
  static String cpuLine(long nanos) {
    return CPU + nanos;
  }

  /**
   * Reads the peer's report of thread CPU time.
   *
   * @throws IllegalArgumentException if the line is no such report
   */
  static long parseCpu(String line) {
    if (line == null || !line.startsWith(CPU)) {
      throw new IllegalArgumentException("not a CPU report: line=" + line);
    }
    return Long.parseLong(line.substring(CPU.length()));
  }
}
