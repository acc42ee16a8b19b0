package dev.mmkit.harness.ipc;

import dev.mmkit.ipc.WaitStrategy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * TransportKind lists every IPC mechanism the benchmarks compare, in the order tables show them,
 * and sets up both ends of a link of each kind. It is the one place a transport is added: a
 * constant here (and the class that implements it) makes it a row of {@code mmkit ipc bench}, a
 * transport of the interleaved runs and, for a {@link Role#CHANNEL}, a JMH benchmark of mmkit-bench
 * — wherever its classes are on the class path ({@link #available()}).
 */
public enum TransportKind {
  /**
   * The floor: an 8-byte counter bounced between the two processes through a file in {@code
   * /dev/shm}, no ring, no payload, both sides busy-spinning.
   */
  FLOOR(
      "floor",
      Role.REFERENCE,
      "an 8-byte counter bounced between the processes through /dev/shm: no ring, no payload,"
          + " busy-spinning",
      Ends.sharedFiles((directory, first, patience) -> CounterTransport.link(directory, patience))),
  /** Two mmkit one-to-one channels, one per direction, both ends busy-spinning. */
  MMKIT_BUSY_SPIN(
      "mmkit-busy-spin",
      Role.CHANNEL,
      "two mmkit OneToOneChannels, both ends busy-spinning",
      Ends.sharedFiles(
          (directory, first, patience) ->
              MmkitChannelTransport.link(directory, first, WaitStrategy.busySpin(), patience))),
  /** Two mmkit one-to-one channels with mmkit's default wait: spin, then sleep on a futex. */
  MMKIT_BLOCKING(
      "mmkit-blocking",
      Role.CHANNEL,
      "two mmkit OneToOneChannels, waiting as mmkit does by default: spin, then sleep on a futex",
      Ends.sharedFiles(
          (directory, first, patience) ->
              MmkitChannelTransport.link(directory, first, WaitStrategy.blocking(), patience))),
  /** Two Agrona one-to-one ring buffers, both ends busy-spinning; needs Agrona and a JVM flag. */
  AGRONA(
      "agrona",
      Role.CHANNEL,
      "two Agrona OneToOneRingBuffers, both ends busy-spinning",
      "org.agrona.concurrent.ringbuffer.OneToOneRingBuffer",
      List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED"),
      // A lambda, not a method reference: AgronaTransport is loaded only when the kind is used.
      Ends.sharedFiles(
          (directory, first, patience) -> AgronaTransport.link(directory, first, patience))),
  /** One slot per direction and no ring: a yardstick for round trips. */
  MAILBOX(
      "mailbox",
      Role.REFERENCE,
      "one slot per direction, no ring: a sequence word and the payload, busy-spinning",
      Ends.sharedFiles(
          (directory, first, patience) -> MailboxTransport.link(directory, first, patience))),
  /** A Unix domain socket; the receiver blocks in the kernel. */
  UDS(
      "uds",
      Role.CHANNEL,
      "a Unix domain socket; the receiver blocks in the kernel",
      Ends.socket(true)),
  /** TCP over loopback with {@code TCP_NODELAY}; the receiver blocks in the kernel. */
  TCP(
      "tcp",
      Role.CHANNEL,
      "TCP over loopback with TCP_NODELAY; the receiver blocks in the kernel",
      Ends.socket(false));

  /** Role says what a transport can be measured on. */
  public enum Role {
    /** A real link: round trips, and one-way throughput to a peer that drains it. */
    CHANNEL,
    /** A yardstick for round trips that is no channel (it holds one message): round trips only. */
    REFERENCE
  }

  private final String label;
  private final Role role;
  private final String description;
  private final String requiredClass;
  private final List<String> jvmArgs;
  private final Ends ends;

  TransportKind(String label, Role role, String description, Ends ends) {
    this(label, role, description, null, List.of(), ends);
  }

  TransportKind(
      String label,
      Role role,
      String description,
      String requiredClass,
      List<String> jvmArgs,
      Ends ends) {
    this.label = label;
    this.role = role;
    this.description = description;
    this.requiredClass = requiredClass;
    this.jvmArgs = jvmArgs;
    this.ends = ends;
  }

  /**
   * Returns the kind called {@code label}.
   *
   * @throws IllegalArgumentException naming the label and the kinds there are
   */
  public static TransportKind named(String label) {
    for (TransportKind kind : values()) {
      if (kind.label.equals(label)) {
        return kind;
      }
    }
    throw new IllegalArgumentException(
        "unknown transport: transport=" + label + " (" + labels(List.of(values())) + ")");
  }

  /** Returns the kinds whose classes this JVM has, in table order. */
  public static List<TransportKind> availableKinds() {
    return Arrays.stream(values()).filter(TransportKind::available).toList();
  }

  /** Returns the labels of {@code kinds}, comma-separated. */
  public static String labels(List<TransportKind> kinds) {
    return kinds.stream().map(TransportKind::label).collect(Collectors.joining(", "));
  }

  /** Returns the name of this kind on command lines, in tables and in JSON. */
  public String label() {
    return label;
  }

  /** Returns what this kind measures, one line. */
  public String description() {
    return description;
  }

  /** Returns what this kind can be measured on. */
  public Role role() {
    return role;
  }

  /** Returns the JVM flags that every process using this kind needs on JDK 25. */
  public List<String> jvmArgs() {
    return jvmArgs;
  }

  /** Returns whether this JVM's class path has what this kind needs (Agrona for Agrona's ring). */
  public boolean available() {
    if (requiredClass == null) {
      return true;
    }
    try {
      Class.forName(requiredClass, false, TransportKind.class.getClassLoader());
      return true;
    } catch (ClassNotFoundException e) {
      return false;
    }
  }

  /**
   * Checks that this kind can run here.
   *
   * @throws IllegalArgumentException naming what is missing from the class path
   */
  public TransportKind requireAvailable() {
    if (!available()) {
      throw new IllegalArgumentException(
          "transport not available on this class path: transport="
              + label
              + ", missing="
              + requiredClass
              + " (the mmkit-bench module runs it)");
    }
    return this;
  }

  /**
   * Makes the first process's end ready in a new directory {@code parent/label}.
   *
   * @throws IllegalStateException if this JVM lacks the kind's {@link #jvmArgs()}
   */
  Ends.Rendezvous listen(Path parent, Duration patience) throws IOException {
    Path directory = Files.createDirectory(parent.resolve(label));
    try {
      return ends.listen(directory, patience);
    } catch (IllegalAccessError e) {
      throw new IllegalStateException(
          "transport needs JVM flags: transport=" + label + ", flags=" + jvmArgs, e);
    }
  }

  /** Connects the peer's end to the first process's {@code address}. */
  IpcTransport connect(String address, Duration patience) throws IOException {
    return ends.connect(address, patience);
  }
}
