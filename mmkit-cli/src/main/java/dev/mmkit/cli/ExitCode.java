package dev.mmkit.cli;

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

  private ExitCode() {}
}
