package dev.mmkit.kv.internal.storage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * BootId names the current boot of this machine (Linux's {@code /proc/sys/kernel/random/boot_id}):
 * what a process wrote to the page cache during this boot survives that process, but not a reboot.
 * Where the kernel does not say, the id is unknown and every caller must assume a reboot.
 */
final class BootId {
  private static final Path SOURCE = Path.of("/proc/sys/kernel/random/boot_id");

  /** The two halves of this boot's id; both 0 when unknown. */
  static final long HIGH;

  static final long LOW;

  static {
    long high = 0;
    long low = 0;
    try {
      UUID id = UUID.fromString(Files.readString(SOURCE).trim());
      high = id.getMostSignificantBits();
      low = id.getLeastSignificantBits();
    } catch (IOException | IllegalArgumentException | SecurityException unknown) {
      // Left at 0: nothing recorded can be trusted to be from this boot.
    }
    HIGH = high;
    LOW = low;
  }

  private BootId() {}

  /** Returns whether this boot's id is known. */
  static boolean known() {
    return HIGH != 0 || LOW != 0;
  }
}
