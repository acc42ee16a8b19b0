package dev.mmkit.bench.ipc;

import dev.mmkit.harness.ipc.TransportKind;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * InterleavedSettings are the options of {@link InterleavedRoundTrip}, each {@code --name value}:
 *
 * <pre>
 * --size BYTES                  message size, 1 to 4096                          (32)
 * --block N                     round trips per block                             (10000)
 * --blocks N                    measured round-trip blocks per transport          (40)
 * --warmup-blocks N             round-trip blocks before them, not measured      (20)
 * --throughput-blocks N         measured one-way blocks per channel, 0 for none   (10)
 * --throughput-warmup-blocks N  one-way blocks before them, not measured         (5)
 * --messages N                  one-way messages per block                        (100000)
 * --runs N                      sessions, each with a fresh peer; medians of them (1)
 * --transports A,B              transports (default: every one on the class path)
 * </pre>
 *
 * @param size message size in bytes
 * @param block round trips per block
 * @param blocks measured round-trip blocks per transport
 * @param warmupBlocks round-trip blocks before them
 * @param throughputBlocks measured one-way blocks per channel
 * @param throughputWarmupBlocks one-way blocks before them
 * @param messages one-way messages per block
 * @param runs sessions
 * @param kinds the transports, in table order
 */
record InterleavedSettings(
    int size,
    int block,
    int blocks,
    int warmupBlocks,
    int throughputBlocks,
    int throughputWarmupBlocks,
    long messages,
    int runs,
    List<TransportKind> kinds) {

  InterleavedSettings {
    if (size < 1 || size > 4096) {
      throw new IllegalArgumentException("size must be 1 to 4096 bytes: size=" + size);
    }
    if (block < 1 || blocks < 1 || warmupBlocks < 0 || messages < 1 || runs < 1) {
      throw new IllegalArgumentException(
          "counts must be positive: block="
              + block
              + ", blocks="
              + blocks
              + ", warmupBlocks="
              + warmupBlocks
              + ", messages="
              + messages
              + ", runs="
              + runs);
    }
    if (throughputBlocks < 0 || throughputWarmupBlocks < 0) {
      throw new IllegalArgumentException(
          "throughput blocks must not be negative: throughputBlocks="
              + throughputBlocks
              + ", throughputWarmupBlocks="
              + throughputWarmupBlocks);
    }
    kinds = List.copyOf(kinds);
  }

  /**
   * Reads the options; those not given keep their defaults.
   *
   * @throws IllegalArgumentException naming an unknown option, a missing value or a transport
   */
  static InterleavedSettings parse(String... args) {
    Map<String, String> options = new LinkedHashMap<>();
    options.put("size", "32");
    options.put("block", "10000");
    options.put("blocks", "40");
    options.put("warmup-blocks", "20");
    options.put("throughput-blocks", "10");
    options.put("throughput-warmup-blocks", "5");
    options.put("messages", "100000");
    options.put("runs", "1");
    options.put("transports", "");
    Iterator<String> rest = Arrays.asList(args).iterator();
    while (rest.hasNext()) {
      String arg = rest.next();
      String name = arg.startsWith("--") ? arg.substring(2) : "";
      if (!options.containsKey(name) || !rest.hasNext()) {
        throw new IllegalArgumentException(
            "unknown option or missing value: option="
                + arg
                + " (options: "
                + options.keySet()
                + ")");
      }
      options.put(name, rest.next());
    }
    String transports = options.get("transports");
    return new InterleavedSettings(
        Integer.parseInt(options.get("size")),
        Integer.parseInt(options.get("block")),
        Integer.parseInt(options.get("blocks")),
        Integer.parseInt(options.get("warmup-blocks")),
        Integer.parseInt(options.get("throughput-blocks")),
        Integer.parseInt(options.get("throughput-warmup-blocks")),
        Long.parseLong(options.get("messages")),
        Integer.parseInt(options.get("runs")),
        transports.isEmpty()
            ? TransportKind.availableKinds()
            : Arrays.stream(transports.split(","))
                .map(t -> TransportKind.named(t).requireAvailable())
                .toList());
  }
}
