package dev.mmkit.core.testing;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * ChildJvm starts a real child JVM running a {@code main} class from the test class path, with
 * native access enabled, and reads its standard output line by line. Cross-process and crash tests
 * use it so that the other side is a separate process that can be killed with SIGKILL.
 */
public final class ChildJvm implements AutoCloseable {
  private final Process process;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
  private final List<String> allLines = new ArrayList<>();
  private final StringBuilder errors = new StringBuilder();

  private ChildJvm(Process process) {
    this.process = process;
    Thread.ofPlatform().daemon().start(() -> pump(process.inputReader(StandardCharsets.UTF_8)));
    Thread.ofPlatform().daemon().start(this::pumpErrors);
  }

  /** Starts {@code main} in a child JVM with native access and the given arguments. */
  public static ChildJvm start(Class<?> main, String... args) {
    return start(List.of("--enable-native-access=ALL-UNNAMED"), main, args);
  }

  /** Starts {@code main} in a child JVM with extra JVM options (native access is not added). */
  public static ChildJvm start(List<String> jvmOptions, Class<?> main, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(jvmOptions);
    return launch(command, main, args);
  }

  /**
   * Starts {@code main} with native access through a launcher command whose last element is the
   * java binary, for example {@code prlimit --memlock=65536 /path/to/java}.
   */
  public static ChildJvm startWrapped(List<String> launcher, Class<?> main, String... args) {
    List<String> command = new ArrayList<>(launcher);
    command.add("--enable-native-access=ALL-UNNAMED");
    return launch(command, main, args);
  }

  private static ChildJvm launch(List<String> command, Class<?> main, String... args) {
    command.add("-XX:+UseSerialGC");
    command.add("-Xshare:auto");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(main.getName());
    command.addAll(List.of(args));
    try {
      return new ChildJvm(new ProcessBuilder(command).start());
    } catch (IOException e) {
      throw new IllegalStateException("cannot start child JVM: " + command, e);
    }
  }

  private void pump(BufferedReader reader) {
    try (reader) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (allLines) {
          allLines.add(line);
        }
        lines.add(line);
      }
    } catch (IOException ignored) {
      // The child is gone; whoever waits for a line times out and reports what arrived.
    }
  }

  private void pumpErrors() {
    try (BufferedReader reader = process.errorReader(StandardCharsets.UTF_8)) {
      String line;
      while ((line = reader.readLine()) != null) {
        synchronized (errors) {
          errors.append(line).append('\n');
        }
      }
    } catch (IOException ignored) {
      // As above.
    }
  }

  /** Returns the next output line starting with {@code prefix}, skipping others. */
  public String awaitLine(String prefix, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      long left = deadline - System.nanoTime();
      String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
      if (line == null) {
        throw new AssertionError(
            "child printed no line starting with '"
                + prefix
                + "' in "
                + timeout
                + "; "
                + describe());
      }
      if (line.startsWith(prefix)) {
        return line;
      }
    }
  }

  /** Waits for the child to exit and returns its exit code. */
  public int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("child did not exit in " + timeout + "; " + describe());
    }
    return process.exitValue();
  }

  /** Kills the child with SIGKILL and waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** Returns the child's process id. */
  public long pid() {
    return process.pid();
  }

  /** Returns whether the child is still running. */
  public boolean isAlive() {
    return process.isAlive();
  }

  /** Returns every output line read so far. */
  public List<String> output() {
    synchronized (allLines) {
      return List.copyOf(allLines);
    }
  }

  /** Returns what the child wrote to standard error so far. */
  public String errors() {
    synchronized (errors) {
      return errors.toString();
    }
  }

  /** Describes the child's state for an assertion message. */
  public String describe() {
    return "pid="
        + process.pid()
        + ", alive="
        + process.isAlive()
        + ", stdout="
        + output()
        + ", stderr="
        + errors();
  }

  @Override
  public void close() {
    process.destroyForcibly();
  }
}
