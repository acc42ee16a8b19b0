package dev.mmkit.core.testing;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.OptionalLong;
import java.util.function.LongPredicate;

/**
 * KernelTask is one thread as the Linux kernel sees it: its state, its wait channel and the system
 * call it is blocked in, read from {@code /proc/PID/task/TID}. Tests use it to observe that a
 * thread really sleeps in the kernel, on which futex word, instead of inferring it from a pause.
 *
 * @param pid the process id
 * @param tid the kernel task id of the thread
 */
public record KernelTask(long pid, long tid) {
  private static final MethodHandle GETTID = gettid();

  @SuppressWarnings("restricted")
  private static MethodHandle gettid() {
    Linker linker = Linker.nativeLinker();
    return linker
        .defaultLookup()
        .find("gettid")
        .map(address -> linker.downcallHandle(address, FunctionDescriptor.of(ValueLayout.JAVA_INT)))
        .orElse(null);
  }

  /** Returns the task of the calling thread. */
  public static KernelTask current() {
    if (GETTID == null) {
      throw new IllegalStateException("gettid is not available: KernelTask needs Linux");
    }
    try {
      return new KernelTask(ProcessHandle.current().pid(), (int) GETTID.invokeExact());
    } catch (Throwable e) {
      throw new IllegalStateException("gettid failed", e);
    }
  }

  /**
   * Returns the task's state letter from {@code stat}: {@code R} running, {@code S} asleep and
   * interruptible, {@code D} in uninterruptible sleep, and so on; {@code X} when the task is gone.
   */
  public char state() {
    String stat = read("stat");
    if (stat.isEmpty()) {
      return 'X';
    }
    return stat.charAt(stat.lastIndexOf(')') + 2);
  }

  /** Returns the kernel function the task sleeps in ({@code wchan}), or "0" when it runs. */
  public String wchan() {
    return read("wchan").strip();
  }

  /**
   * Returns the address of the futex word the task sleeps on: present only while the task is asleep
   * in a futex wait, taken from the first argument of the system call it is blocked in.
   */
  public OptionalLong futexWord() {
    String syscall = read("syscall").strip();
    String wchan = wchan();
    if (state() != 'S' || !wchan.contains("futex")) {
      return OptionalLong.empty();
    }
    String[] fields = syscall.split(" ");
    if (fields.length < 2 || !fields[1].startsWith("0x")) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseUnsignedLong(fields[1].substring(2), 16));
  }

  /**
   * Waits until the task is asleep in a futex wait on the word at {@code address}.
   *
   * @throws AssertionError when it was not seen asleep there within {@code timeout}
   */
  public void awaitFutexSleep(long address, Duration timeout) throws InterruptedException {
    awaitFutexSleep(word -> word == address, "0x" + Long.toHexString(address), timeout);
  }

  /**
   * Waits until the task is asleep in a futex wait on a word that {@code words} accepts, described
   * as {@code what} in the failure message.
   *
   * @throws AssertionError when it was not seen asleep on such a word within {@code timeout}
   */
  public void awaitFutexSleep(LongPredicate words, String what, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      OptionalLong word = futexWord();
      if (word.isPresent() && words.test(word.getAsLong())) {
        return;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "task never seen asleep on the futex word: word="
                + what
                + ", timeout="
                + timeout
                + ", "
                + describe());
      }
      Thread.sleep(1);
    }
  }

  /** Describes what the kernel says about the task, for assertion messages. */
  public String describe() {
    return "pid="
        + pid
        + ", tid="
        + tid
        + ", state="
        + state()
        + ", wchan="
        + wchan()
        + ", syscall="
        + read("syscall").strip();
  }

  private String read(String file) {
    Path path = Path.of("/proc", Long.toString(pid), "task", Long.toString(tid), file);
    try {
      return Files.readString(path);
    } catch (NoSuchFileException gone) {
      return "";
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
