package dev.mmkit.core;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * TransparentHugePages reads the Linux settings under {@code /sys/kernel/mm/transparent_hugepage}
 * that decide whether the kernel backs a range with transparent huge pages when {@code madvise}
 * asks for them: {@code enabled} for private anonymous memory, {@code shmem_enabled} for shared
 * anonymous memory (which lives in shmem). Each has a per-size override for the PMD size, which
 * {@code inherit}s the global setting by default.
 */
final class TransparentHugePages {
  private static final Path ROOT = Path.of("/sys/kernel/mm/transparent_hugepage");
  private static final Set<String> PRIVATE_ON_ADVICE = Set.of("always", "madvise");
  private static final Set<String> SHARED_ON_ADVICE =
      Set.of("always", "within_size", "advise", "force");

  private TransparentHugePages() {}

  /**
   * Returns why the kernel would not give transparent huge pages to advised anonymous memory,
   * shared or private, naming the setting and its value; empty when it would.
   */
  static Optional<String> refusal(boolean shared) {
    String file = shared ? "shmem_enabled" : "enabled";
    Set<String> accepted = shared ? SHARED_ON_ADVICE : PRIVATE_ON_ADVICE;
    Optional<String> global = selected(ROOT.resolve(file));
    if (global.isEmpty()) {
      return Optional.of("the kernel has no transparent huge pages: file=" + ROOT.resolve(file));
    }
    Path perSize = pmdDirectory().map(directory -> directory.resolve(file)).orElse(null);
    Optional<String> own = perSize == null ? Optional.empty() : selected(perSize);
    if (own.isPresent() && !own.get().equals("inherit")) {
      return accepted.contains(own.get())
          ? Optional.empty()
          : Optional.of("transparent huge pages are off: " + perSize + "=" + own.get());
    }
    return accepted.contains(global.get())
        ? Optional.empty()
        : Optional.of("transparent huge pages are off: " + ROOT.resolve(file) + "=" + global.get());
  }

  private static Optional<Path> pmdDirectory() {
    return read(ROOT.resolve("hpage_pmd_size"))
        .map(bytes -> ROOT.resolve("hugepages-" + Long.parseLong(bytes) / 1024 + "kB"));
  }

  /** Returns the bracketed choice of a sysfs setting such as {@code always [madvise] never}. */
  private static Optional<String> selected(Path path) {
    return read(path)
        .filter(text -> text.indexOf('[') >= 0 && text.indexOf(']') > text.indexOf('['))
        .map(text -> text.substring(text.indexOf('[') + 1, text.indexOf(']')));
  }

  private static Optional<String> read(Path path) {
    try {
      return Optional.of(Files.readString(path).strip());
    } catch (IOException | SecurityException e) {
      return Optional.empty();
    }
  }
}
