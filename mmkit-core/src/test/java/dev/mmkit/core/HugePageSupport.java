package dev.mmkit.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * HugePageSupport is what this machine's kernel offers a huge-page mapping, read by the test itself
 * from {@code /proc/meminfo} and {@code /sys/kernel/mm/transparent_hugepage} as the kernel's
 * documentation describes them, so that the test's expectation does not come from mmkit.
 *
 * @param reserved whether enough reserved huge pages are free for the mapping
 * @param transparent whether transparent huge pages are given to advised memory of this kind
 * @param transparentSetting the deciding setting as {@code file=value}
 */
record HugePageSupport(boolean reserved, boolean transparent, String transparentSetting) {
  private static final Path THP = Path.of("/sys/kernel/mm/transparent_hugepage");

  /** Reads the support for a mapping of {@code size} bytes, shared or private. */
  static HugePageSupport read(boolean shared, long size) throws IOException {
    long freeHuge = meminfo("HugePages_Free:") * meminfo("Hugepagesize:") * 1024;
    boolean reserved = freeHuge >= ((size + (2 << 20) - 1) & -(2L << 20));
    String name = shared ? "shmem_enabled" : "enabled";
    List<String> on =
        shared ? List.of("always", "within_size", "advise", "force") : List.of("always", "madvise");
    Path global = THP.resolve(name);
    if (!Files.exists(global)) {
      return new HugePageSupport(reserved, false, global.toString());
    }
    Path perSize =
        THP.resolve(
                "hugepages-"
                    + Long.parseLong(Files.readString(THP.resolve("hpage_pmd_size")).strip()) / 1024
                    + "kB")
            .resolve(name);
    Path deciding = global;
    if (Files.exists(perSize) && !choice(perSize).equals("inherit")) {
      deciding = perSize;
    }
    String value = choice(deciding);
    return new HugePageSupport(reserved, on.contains(value), deciding + "=" + value);
  }

  /** Returns whether the kernel can back the mapping with huge pages of either kind. */
  boolean any() {
    return reserved || transparent;
  }

  private static String choice(Path setting) throws IOException {
    String text = Files.readString(setting);
    return text.substring(text.indexOf('[') + 1, text.indexOf(']'));
  }

  private static long meminfo(String key) throws IOException {
    return Files.readAllLines(Path.of("/proc/meminfo")).stream()
        .filter(line -> line.startsWith(key))
        .mapToLong(line -> Long.parseLong(line.substring(key.length()).replace("kB", "").strip()))
        .findFirst()
        .orElse(0);
  }
}
