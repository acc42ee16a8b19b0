package dev.mmkit.harness.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * PeerProcess is this process's side of a {@link BenchPeer}: it sets up one link of each kind it is
 * given (files under {@code /dev/shm} where it is writable, sockets beside them), starts the peer
 * JVM on the same class path, and tells it what to do with each link before the measurement that
 * needs it. Closing it closes the links, ends the peer and deletes the files.
 *
 * <p>Every command waits for the peer's {@code go} before it returns, so the peer is already
 * waiting on the link when this process starts to measure: the commands travel over the peer's
 * standard input, never over the links.
 */
public final class PeerProcess implements AutoCloseable {
  /** How long this process waits for a message before it gives up on the peer. */
  public static final Duration PATIENCE = Duration.ofSeconds(60);

  private final Process process;
  private final Path directory;
  private final Map<TransportKind, IpcTransport> links;
  private final BufferedReader replies;
  private final Writer commands;

  private PeerProcess(
      Process process, Path directory, Map<TransportKind, IpcTransport> links, BufferedReader in) {
    this.process = process;
    this.directory = directory;
    this.links = links;
    this.replies = in;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  /**
   * Starts a peer linked to this process by one link of each of {@code kinds}, the peer JVM started
   * under {@code launcher} (for example {@code taskset -c 1}; empty for none).
   *
   * @throws IllegalArgumentException if a kind is not available here
   */
  public static PeerProcess start(List<TransportKind> kinds, List<String> launcher)
      throws IOException {
    kinds.forEach(TransportKind::requireAvailable);
    if (Set.copyOf(kinds).size() != kinds.size()) {
      throw new IllegalArgumentException(
          "each transport at most once: transports=" + TransportKind.labels(kinds));
    }
    Path directory = newDirectory();
    List<Ends.Rendezvous> rendezvous = new ArrayList<>();
    Map<TransportKind, IpcTransport> links = new EnumMap<>(TransportKind.class);
    Process process = null;
    try {
      List<String> addresses = new ArrayList<>();
      for (TransportKind kind : kinds) {
        Ends.Rendezvous ready = kind.listen(directory, PATIENCE);
        rendezvous.add(ready);
        addresses.add(kind.label() + "=" + ready.address());
      }
      process = launch(kinds, launcher, addresses);
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      expect(in, PeerCommand.READY, process, "start");
      for (int i = 0; i < kinds.size(); i++) {
        links.put(kinds.get(i), rendezvous.get(i).accept());
      }
      closeAll(rendezvous);
      return new PeerProcess(process, directory, links, in);
    } catch (IOException | RuntimeException e) {
      if (process != null) {
        process.destroyForcibly();
      }
      try {
        for (IpcTransport link : links.values()) {
          link.close();
        }
        closeAll(rendezvous);
        deleteTree(directory);
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  private static Path newDirectory() throws IOException {
    Path shm = Path.of("/dev/shm");
    return Files.isDirectory(shm) && Files.isWritable(shm)
        ? Files.createTempDirectory(shm, "mmkit-bench-ipc-")
        : Files.createTempDirectory("mmkit-bench-ipc-");
  }

  private static Process launch(
      List<TransportKind> kinds, List<String> launcher, List<String> addresses) throws IOException {
    List<String> command = new ArrayList<>(launcher);
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    // A peer is small and allocates nothing while it serves; without the performance counters
    // the JVM samples every 50 ms, an idle peer's CPU shows its wait rather than housekeeping.
    command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:-UsePerfData"));
    Set<String> flags = new LinkedHashSet<>();
    kinds.forEach(kind -> flags.addAll(kind.jvmArgs()));
    command.addAll(flags);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchPeer.class.getName());
    command.addAll(addresses);
    return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  /** Returns this process's end of the link of {@code kind}. */
  public IpcTransport link(TransportKind kind) {
    IpcTransport link = links.get(kind);
    if (link == null) {
      throw new IllegalArgumentException("no link of this kind: transport=" + kind.label());
    }
    return link;
  }

  /** Returns the directory of the links' files, deleted on close. */
  Path directory() {
    return directory;
  }

  /** Returns the peer JVM. */
  public Process process() {
    return process;
  }

  /** Has the peer echo the next {@code count} messages of {@code size} bytes on {@code kind}. */
  public void echo(TransportKind kind, int size, long count) throws IOException {
    command(new PeerCommand(PeerCommand.Verb.ECHO, kind, size, count));
  }

  /** Has the peer echo every message of {@code size} bytes on {@code kind} from now on. */
  public void echoForever(TransportKind kind, int size) throws IOException {
    echo(kind, size, PeerCommand.FOREVER);
  }

  /**
   * Has the peer receive the next {@code count} messages of {@code size} bytes on {@code kind} as
   * fast as they come, then send one 8-byte acknowledgement on the same link.
   *
   * @throws IllegalArgumentException for a kind that is no {@link TransportKind.Role#CHANNEL}
   */
  public void drain(TransportKind kind, int size, long count) throws IOException {
    if (kind.role() != TransportKind.Role.CHANNEL) {
      throw new IllegalArgumentException(
          "only channels carry streams of messages: transport=" + kind.label());
    }
    command(new PeerCommand(PeerCommand.Verb.DRAIN, kind, size, count));
  }

  /** Has the peer drain every message of {@code size} bytes on {@code kind} from now on. */
  public void drainForever(TransportKind kind, int size) throws IOException {
    drain(kind, size, PeerCommand.FOREVER);
  }

  /**
   * Leaves the peer waiting in one receive on {@code kind} for {@code period} while this process
   * sleeps, then wakes it with one 8-byte message and returns what the wait cost the peer.
   */
  public IdleCost idle(TransportKind kind, Duration period)
      throws IOException, InterruptedException {
    command(new PeerCommand(PeerCommand.Verb.IDLE, kind, 8, 1));
    long cpuBefore = processCpu();
    long start = System.nanoTime();
    Thread.sleep(period);
    long nanos = System.nanoTime() - start;
    long cpuAfter = processCpu();
    link(kind).send(ByteBuffer.allocateDirect(8));
    String line = replies.readLine();
    if (line == null) {
      throw new IOException(exited(process, "idle"));
    }
    return new IdleCost(nanos, cpuAfter - cpuBefore, PeerCommand.parseCpu(line));
  }

  /**
   * IdleCost is what a peer waiting in a receive used while nothing came.
   *
   * @param nanos how long it waited
   * @param processCpuNanos the CPU time its whole JVM used meanwhile
   * @param threadCpuNanos the CPU time its waiting thread used meanwhile
   */
  public record IdleCost(long nanos, long processCpuNanos, long threadCpuNanos) {}

  private long processCpu() {
    return process.info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
  }

  private void command(PeerCommand command) throws IOException {
    link(command.kind());
    commands.write(command.line() + "\n");
    commands.flush();
    expect(replies, PeerCommand.GO, process, command.line());
  }

  private static void expect(BufferedReader in, String word, Process process, String what)
      throws IOException {
    String line = in.readLine();
    if (!word.equals(line)) {
      throw new IOException(
          line == null ? exited(process, what) : "peer said: line=" + line + ", command=" + what);
    }
  }

  private static String exited(Process process, String what) {
    try {
      process.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "peer exited: command="
        + what
        + ", exitCode="
        + (process.isAlive() ? "none yet" : process.exitValue());
  }

  /** Closes the links, ends the peer (it exits when its input closes) and deletes the files. */
  @Override
  public void close() throws IOException {
    try {
      commands.close();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        process.destroyForcibly();
      }
      for (IpcTransport link : links.values()) {
        link.close();
      }
    } finally {
      deleteTree(directory);
    }
  }

  private static void closeAll(List<Ends.Rendezvous> rendezvous) throws IOException {
    for (Ends.Rendezvous ready : rendezvous) {
      ready.close();
    }
  }

  private static void deleteTree(Path directory) throws IOException {
    try (Stream<Path> paths = Files.walk(directory)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
