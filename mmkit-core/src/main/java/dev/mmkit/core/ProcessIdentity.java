package dev.mmkit.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * ProcessIdentity names one process for its whole life: its PID together with its start time. A PID
 * alone is reused after the process dies; the pair is not, so a lock or a channel that records the
 * pair can tell a dead holder from a new process that got the same PID.
 *
 * <p>On Linux the start time is the {@code starttime} field of {@code /proc/PID/stat} in clock
 * ticks since boot, and a zombie counts as dead. Elsewhere it comes from {@link ProcessHandle} in
 * milliseconds. {@link #token()} packs the pair into one {@code long} so it can be swapped
 * atomically in shared memory: PID in the high 32 bits, the low 32 bits of the start time below.
 *
 * @param pid the process id
 * @param startTime when the process started, in platform units (see above)
 */
public record ProcessIdentity(long pid, long startTime) {
  private static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));
  private static final ProcessIdentity CURRENT = of(ProcessHandle.current().pid()).orElseThrow();

  /** Returns the identity of this process. */
  public static ProcessIdentity current() {
    return CURRENT;
  }

  /** Returns the identity of the live process {@code pid}, or empty when none runs. */
  public static Optional<ProcessIdentity> of(long pid) {
    if (PROC) {
      return procStartTime(pid).map(start -> new ProcessIdentity(pid, start));
    }
    return ProcessHandle.of(pid)
        .filter(ProcessHandle::isAlive)
        .flatMap(handle -> handle.info().startInstant())
        .map(start -> new ProcessIdentity(pid, start.toEpochMilli()));
  }

  /** Returns the identity packed into one non-zero {@code long}; see the class comment. */
  public long token() {
    return (pid << 32) | (startTime & 0xFFFF_FFFFL);
  }

  /** Returns whether the process with this {@link #token()} is still alive. */
  public static boolean isAlive(long token) {
    long pid = token >>> 32;
    return of(pid).map(live -> live.token() == token).orElse(false);
  }

  /** Returns whether this process is still alive. */
  public boolean isAlive() {
    return isAlive(token());
  }

  /** Returns the process id held in a {@link #token()}. */
  public static long pidOf(long token) {
    return token >>> 32;
  }

  private static Optional<Long> procStartTime(long pid) {
    String stat;
    try {
      stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    } catch (IOException noSuchProcessOrGone) {
      return Optional.empty();
    }
    // Fields after the command name, which is in parentheses and may itself contain them.
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    String state = fields[0];
    if (state.equals("Z") || state.equals("X")) {
      return Optional.empty();
    }
    return Optional.of(Long.parseLong(fields[19]));
  }
}
