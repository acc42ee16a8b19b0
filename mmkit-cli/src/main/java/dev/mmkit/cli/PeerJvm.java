package dev.mmkit.cli;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * PeerJvm starts a class of the command line's own class path in a second JVM, for verbs and tour
 * steps that need a real peer process: the same Java, native access, the serial collector (a peer
 * is small), and standard error inherited so that a failure shows on the terminal.
 */
public final class PeerJvm {
  private PeerJvm() {}

  /**
   * Starts {@code main} with {@code args}. {@code launcher} comes before the java binary (for
   * example {@code taskset -c 1}), {@code jvmOptions} after the ones every peer gets.
   */
  public static Process start(
      List<String> launcher, List<String> jvmOptions, Class<?> main, List<String> args)
      throws IOException {
    return new ProcessBuilder(command(launcher, jvmOptions, main, args))
        .redirectError(ProcessBuilder.Redirect.INHERIT)
        .start();
  }

  /** Returns the command line {@link #start} runs, for callers that redirect its output. */
  public static List<String> command(
      List<String> launcher, List<String> jvmOptions, Class<?> main, List<String> args) {
    List<String> command = new ArrayList<>(launcher);
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-XX:+UseSerialGC");
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(args);
    return command;
  }
}
