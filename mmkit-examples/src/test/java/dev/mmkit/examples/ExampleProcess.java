package dev.mmkit.examples;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * ExampleProcess runs one example program in a JVM of its own, as a user would: the examples module
 * and mmkit's modules on the module path, {@code -m dev.mmkit.examples/CLASS}, native access
 * granted to the two mmkit modules that use it. Output goes to files, read once the program ends.
 */
final class ExampleProcess implements AutoCloseable {
  private static final String MODULE = "dev.mmkit.examples";

  private final Process process;
  private final Path out;
  private final Path err;

  /** What a finished program printed, and how it exited. */
  record Result(int exitCode, List<String> lines, String errors) {}

  private ExampleProcess(Process process, Path out, Path err) {
    this.process = process;
    this.out = out;
    this.err = err;
  }

  /** Starts {@code mainClass} of the examples module with {@code args}. */
  static ExampleProcess start(Class<?> mainClass, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("--enable-native-access=dev.mmkit.core,dev.mmkit.kv");
    command.add("-XX:+UseSerialGC");
    command.add("--module-path");
    command.add(modulePath());
    command.add("-m");
    command.add(MODULE + "/" + mainClass.getName());
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("example-", ".out");
      Path err = Files.createTempFile("example-", ".err");
      Process process =
          new ProcessBuilder(command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .start();
      return new ExampleProcess(process, out, err);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + command, e);
    }
  }

  /** Runs {@code mainClass} to its end, at most a minute, and returns what it printed. */
  static Result run(Class<?> mainClass, String... args) throws InterruptedException {
    try (ExampleProcess p = start(mainClass, args)) {
      return p.await(Duration.ofMinutes(1));
    }
  }

  /** Waits for the program to end and returns what it printed. */
  Result await(Duration timeout) throws InterruptedException {
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("example did not end in " + timeout + ": " + read(out));
    }
    return new Result(process.exitValue(), read(out).lines().toList(), read(err));
  }

  /** The examples' classes, then mmkit's modules as Maven built them. */
  private static String modulePath() {
    Path dependencies = Path.of(System.getProperty("mmkit.examples.modulePathFile"));
    try {
      return System.getProperty("mmkit.examples.classes")
          + java.io.File.pathSeparator
          + Files.readString(dependencies).strip();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    process.destroyForcibly();
    try {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
