package dev.mmkit.ipc.internal;

import dev.mmkit.ipc.ChannelKind;
import dev.mmkit.ipc.ChannelOptions;
import dev.mmkit.ipc.ChannelSender;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.time.Duration;

/**
 * ParkedProducer is a producer process that stops for good inside a reservation, so that a crash
 * test can kill it exactly there with SIGKILL. It sends numbered messages, then starts one more
 * message and parks when that message's {@code n}th reservation reaches the given step, printing
 * {@code PARKED step position}.
 */
public final class ParkedProducer {
  private ParkedProducer() {}

  /**
   * Arguments: channel path; {@code one} or {@code many}; how many 8-byte numbered messages to send
   * first; the length of the message to park in; the {@link ReservationProbe.Step} to park at; at
   * which reservation of that message (1 for its first record).
   */
  public static void main(String[] args) throws InterruptedException {
    Path path = Path.of(args[0]);
    boolean multi = args[1].equals("many");
    int count = Integer.parseInt(args[2]);
    int length = Integer.parseInt(args[3]);
    ReservationProbe.Step step = ReservationProbe.Step.valueOf(args[4]);
    int nth = Integer.parseInt(args[5]);
    Park park = new Park(step, nth);
    ChannelKind kind = multi ? ChannelKind.MANY_TO_ONE : ChannelKind.ONE_TO_ONE;
    ChannelOptions options = ChannelOptions.defaults().withCapacity(64 << 10);
    ChannelSender sender =
        ChannelFile.attach(path, kind, options, file -> new RingSender(file, multi, park));
    MemorySegment numbered = MemorySegment.ofArray(new long[1]);
    for (long i = 0; i < count; i++) {
      numbered.set(ValueLayout.JAVA_LONG, 0, i);
      sender.send(numbered, Duration.ofSeconds(30));
    }
    park.armed = true;
    sender.send(MemorySegment.ofArray(new byte[length]), Duration.ofSeconds(30));
    throw new AssertionError("sent a message that should have parked the producer");
  }

  /** Parks the producer's thread for good at the {@code nth} reservation reaching a step. */
  private static final class Park implements ReservationProbe {
    private final Step step;
    private final int nth;
    private boolean armed;
    private int seen;

    Park(Step step, int nth) {
      this.step = step;
      this.nth = nth;
    }

    @Override
    public void reached(Step reached, long position) {
      if (!armed || reached != step || ++seen < nth) {
        return;
      }
      System.out.println("PARKED " + reached + " " + position);
      while (true) {
        try {
          Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException ignored) {
          // Only SIGKILL ends a parked producer.
        }
      }
    }
  }
}
