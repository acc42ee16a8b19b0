package dev.mmkit.bench.ipc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * IpcTransports names the IPC mechanisms under test and sets up a link to a peer process: it
 * creates the shared files or the listening socket, starts the peer JVM ({@link IpcPeer}) and waits
 * until the peer is ready.
 *
 * <p>mmkit-ipc's one-to-one channel plugs in here when its module lands: a transport class, its
 * name in {@link #NAMES}, and one case in {@link #connect} and in {@link IpcPeer}.
 */
public final class IpcTransports {
  /** The mechanisms, in table order. */
  public static final List<String> NAMES = List.of("mmkit", "agrona", "uds", "tcp");

  private IpcTransports() {}

  /**
   * Returns the JVM flags a process using {@code name} needs on JDK 25. Agrona 2.x reaches memory
   * through the JDK's internal {@code jdk.internal.misc.Unsafe}, which the JDK does not export: it
   * fails with {@link IllegalAccessError} without this flag. The sockets need none.
   */
  public static List<String> jvmArgs(String name) {
    if (name.equals("agrona")) {
      return List.of("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
    }
    return List.of();
  }

  /**
   * Link is this process's end of a link and the peer process at the other end.
   *
   * @param transport this process's end
   * @param peer the peer process
   * @param directory where the link's files live; deleted on close
   */
  public record Link(IpcTransport transport, Process peer, Path directory)
      implements AutoCloseable {
    @Override
    public void close() throws IOException {
      peer.destroy();
      try {
        if (!peer.waitFor(10, TimeUnit.SECONDS)) {
          peer.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      transport.close();
      deleteDirectory(directory);
    }
  }

  /** Starts a peer running {@code mode} ({@code echo} or {@code drain}) and links to it. */
  public static Link connect(String name, String mode, int messageSize) throws IOException {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException("unknown transport: transport=" + name);
    }
    Path shm = Path.of("/dev/shm");
    Path directory =
        Files.isDirectory(shm) && Files.isWritable(shm)
            ? Files.createTempDirectory(shm, "mmkit-bench-ipc-")
            : Files.createTempDirectory("mmkit-bench-ipc-");
    try {
      return link(name, mode, messageSize, directory);
    } catch (IOException | RuntimeException e) {
      deleteDirectory(directory);
      throw e;
    }
  }

  private static Link link(String name, String mode, int messageSize, Path directory)
      throws IOException {
    IpcTransport shared =
        switch (name) {
          case "mmkit" -> MmkitChannelTransport.create(directory);
          case "agrona" -> AgronaTransport.create(directory);
          default -> null;
        };
    if (shared != null) {
      try {
        return new Link(shared, start(name, mode, messageSize, directory.toString()), directory);
      } catch (IOException | RuntimeException e) {
        try {
          shared.close();
        } catch (IOException suppressed) {
          e.addSuppressed(suppressed);
        }
        throw e;
      }
    }
    try (ServerSocketChannel server = SocketTransport.listen(name.equals("uds"), directory)) {
      Process peer = start(name, mode, messageSize, SocketTransport.address(server));
      return new Link(SocketTransport.accept(server), peer, directory);
    }
  }

  /** Deletes {@code directory} and the files in it. */
  static void deleteDirectory(Path directory) throws IOException {
    try (var paths = Files.list(directory)) {
      for (Path path : paths.toList()) {
        Files.deleteIfExists(path);
      }
    }
    Files.deleteIfExists(directory);
  }

  private static Process start(String name, String mode, int messageSize, String address)
      throws IOException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-Xmx256m");
    command.add("--enable-native-access=ALL-UNNAMED");
    command.addAll(jvmArgs(name));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(IpcPeer.class.getName());
    command.add(name);
    command.add(mode);
    command.add(Integer.toString(messageSize));
    command.add(address);
    Process peer =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader lines =
        new BufferedReader(new InputStreamReader(peer.getInputStream(), StandardCharsets.UTF_8));
    String line = lines.readLine();
    if (!"ready".equals(line)) {
      peer.destroyForcibly();
      throw new IOException("peer did not start: transport=" + name + ", said=" + line);
    }
    return peer;
  }
}
