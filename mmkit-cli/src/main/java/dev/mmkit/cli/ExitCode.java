package dev.mmkit.cli;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** ExitCode lists what the {@code mmkit} command returns to the shell. */
public final class ExitCode {
  /** The command did what was asked. */
  public static final int OK = 0;

  /** What was asked for does not exist: a file, a key, a bucket. */
  public static final int NOT_FOUND = 1;

  /** The command line was wrong. */
  public static final int USAGE = 2;

  /** The data is bad: corrupt, of the wrong format, or truncated. */
  public static final int BAD_DATA = 3;

  /** An I/O or system error. */
  public static final int SYSTEM = 4;

  /** mmkit failed unexpectedly (a bug in mmkit); {@code --debug} prints where. */
  public static final int INTERNAL = 5;

  /** Each exit code with what it means, in order, as every {@code --help} lists them. */
  static final SortedMap<String, String> MEANINGS =
      Collections.unmodifiableSortedMap(
          new TreeMap<>(
              Map.of(
                  " " + OK, "done",
                  " " + NOT_FOUND, "not found: a file, key or bucket",
                  " " + USAGE, "wrong command line",
                  " " + BAD_DATA, "bad data: corrupt, of the wrong format, or truncated",
                  " " + SYSTEM, "I/O or system error",
                  " " + INTERNAL, "mmkit failed unexpectedly (a bug; --debug shows where)")));

  private ExitCode() {}
}
