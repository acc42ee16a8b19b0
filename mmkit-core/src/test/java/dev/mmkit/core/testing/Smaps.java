package dev.mmkit.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Smaps is the kernel's account of the areas a process has mapped, read from {@code
 * /proc/PID/smaps}: for each area its address range, file, page counts in kilobytes ({@code Rss},
 * {@code Private_Dirty}, {@code AnonHugePages}, {@code Locked}, ...) and flags ({@code sh} shared,
 * {@code rr} random read-ahead, {@code hg} huge pages advised, ...). Tests read it to see what the
 * kernel did with a mapping rather than trusting that a call had its effect.
 */
public final class Smaps {
  private static final Pattern AREA = Pattern.compile("[0-9a-f]+-[0-9a-f]+ ");

  private Smaps() {}

  /**
   * One mapped area.
   *
   * @param start first address
   * @param end address after the last byte
   * @param path the mapped file as the kernel names it, empty for anonymous memory
   * @param kilobytes every counter of the area, in kilobytes
   * @param flags the area's {@code VmFlags}
   */
  public record Area(
      long start, long end, String path, Map<String, Long> kilobytes, Set<String> flags) {

    /** Returns the counter {@code field} in kilobytes, 0 when the kernel does not report it. */
    public long kb(String field) {
      return kilobytes.getOrDefault(field, 0L);
    }
  }

  /** Returns every area of process {@code pid}. */
  public static List<Area> of(long pid) {
    List<String> lines;
    try {
      lines = Files.readAllLines(Path.of("/proc", Long.toString(pid), "smaps"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Area> areas = new ArrayList<>();
    String[] header = null;
    Map<String, Long> counters = new HashMap<>();
    for (String line : lines) {
      if (line.startsWith("VmFlags:")) {
        Set<String> flags = Set.of(line.substring("VmFlags:".length()).strip().split(" "));
        String[] range = header[0].split("-");
        areas.add(
            new Area(
                Long.parseUnsignedLong(range[0], 16),
                Long.parseUnsignedLong(range[1], 16),
                header.length > 5 ? header[5] : "",
                Map.copyOf(counters),
                flags));
        counters = new HashMap<>();
      } else if (line.endsWith(" kB")) {
        int colon = line.indexOf(':');
        String value = line.substring(colon + 1, line.length() - 3).strip();
        counters.put(line.substring(0, colon), Long.parseLong(value));
      } else if (AREA.matcher(line).lookingAt()) {
        header = line.strip().split("\\s+", 6);
      }
    }
    return areas;
  }

  /** Returns the areas of this process that map {@code file}. */
  public static List<Area> mapping(Path file) {
    String name = file.toAbsolutePath().toString();
    return of(ProcessHandle.current().pid()).stream()
        .filter(area -> area.path().equals(name))
        .toList();
  }

  /** Returns the areas of this process that overlap {@code segment}'s memory. */
  public static List<Area> overlapping(MemorySegment segment) {
    long start = segment.address();
    long end = start + segment.byteSize();
    return of(ProcessHandle.current().pid()).stream()
        .filter(area -> area.start() < end && start < area.end())
        .toList();
  }

  /**
   * Returns the sum of counter {@code field}, in kilobytes, over the areas under {@code segment}.
   */
  public static long kb(MemorySegment segment, String field) {
    return overlapping(segment).stream().mapToLong(area -> area.kb(field)).sum();
  }

  /** Returns the dirty kilobytes (private and shared) of the areas under {@code segment}. */
  public static long dirtyKb(MemorySegment segment) {
    return kb(segment, "Private_Dirty") + kb(segment, "Shared_Dirty");
  }

  /** Returns the flags of the area holding the first byte of {@code segment}. */
  public static Set<String> flags(MemorySegment segment) {
    return overlapping(segment.asSlice(0, 1)).getFirst().flags();
  }
}
