package dev.mmkit.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Pinning tells whether this process may run on fewer CPUs than the machine has online, for example
 * under {@code taskset -c 0}. On the 2-vCPU VMs mmkit is measured on, file-backed mapped reads run
 * 7-30x slower whenever the process has threads running on both CPUs, so every benchmark says
 * whether it ran pinned.
 *
 * @param allowed the number of CPUs this process may run on
 * @param online the number of CPUs online, or -1 when unknown
 */
public record Pinning(int allowed, int online) {

  /** Returns the pinning of this process. */
  public static Pinning current() {
    int allowed = Runtime.getRuntime().availableProcessors();
    int online = -1;
    try {
      online = countCpus(Files.readString(Path.of("/sys/devices/system/cpu/online")).trim());
    } catch (IOException | RuntimeException e) {
      // Not Linux, or no sysfs: leave it unknown.
    }
    return new Pinning(allowed, online);
  }

  /** Returns whether the process runs on fewer CPUs than are online. */
  public boolean pinned() {
    return online > 0 && allowed < online;
  }

  /** Returns one sentence for the report. */
  public String describe() {
    if (pinned()) {
      return "pinned: runs on " + allowed + " of " + online + " CPUs";
    }
    String cpus = online > 0 ? allowed + " of " + online : String.valueOf(allowed);
    return "not pinned: runs on "
        + cpus
        + " CPUs (file-backed mapped reads can be 7-30x slower when a process runs threads on"
        + " several vCPUs of a VM; compare with `taskset -c 0 ./mmkit bench io`)";
  }

  /** Counts the CPUs of a Linux CPU list such as {@code 0-3,5}. */
  public static int countCpus(String list) {
    int count = 0;
    for (String part : list.split(",")) {
      String[] range = part.trim().split("-");
      int first = Integer.parseInt(range[0]);
      int last = range.length > 1 ? Integer.parseInt(range[1]) : first;
      count += last - first + 1;
    }
    return count;
  }
}
