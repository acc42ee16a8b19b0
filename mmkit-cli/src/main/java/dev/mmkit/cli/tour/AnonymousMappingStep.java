package dev.mmkit.cli.tour;

import dev.mmkit.cli.Sizes;
import dev.mmkit.core.Mapping;
import dev.mmkit.core.Residency;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * AnonymousMappingStep maps memory that no file backs, writes and reads it, and shows that pages
 * exist only once touched.
 */
public final class AnonymousMappingStep implements TourStep {
  private static final long SIZE = 256L << 20;

  @Override
  public String title() {
    return "Anonymous mapping: memory straight from the kernel, outside the Java heap";
  }

  @Override
  public void run(TourContext context) {
    try (Mapping memory = Mapping.anonymous(SIZE)) {
      context.say(
          "mapped %s of anonymous memory at 0x%x", Sizes.bytes(SIZE), memory.segment().address());
      Residency before = memory.residency();
      context.say("resident before any access: %s of %d pages", count(before), before.pages());

      byte[] message = "written straight into mapped memory".getBytes(StandardCharsets.UTF_8);
      memory.write(0, message, 0, message.length);
      byte[] back = new byte[message.length];
      memory.read(0, back, 0, back.length);
      context.say("read back: \"%s\"", new String(back, StandardCharsets.UTF_8));

      MemorySegment segment = memory.segment();
      long start = System.nanoTime();
      segment.fill((byte) 1);
      long fillNanos = System.nanoTime() - start;
      context.say(
          "first write of every page: %s (%s, %s per page)",
          Sizes.nanos(fillNanos),
          Sizes.rate(SIZE, fillNanos),
          Sizes.nanos((double) fillNanos / before.pages()));

      start = System.nanoTime();
      long sum = 0;
      for (long offset = 0; offset < SIZE; offset += 8) {
        sum += segment.get(ValueLayout.JAVA_LONG, offset);
      }
      long sumNanos = System.nanoTime() - start;
      context.say(
          "summed it back: %s (%s); sum=%d",
          Sizes.nanos(sumNanos), Sizes.rate(SIZE, sumNanos), sum);
      Residency after = memory.residency();
      context.say("resident after touching: %s of %d pages", count(after), after.pages());
    }
    context.say("closed: the memory went back to the kernel at once, no GC involved");
  }

  private static String count(Residency residency) {
    return residency.isKnown() ? Long.toString(residency.residentPages()) : "unknown";
  }
}
