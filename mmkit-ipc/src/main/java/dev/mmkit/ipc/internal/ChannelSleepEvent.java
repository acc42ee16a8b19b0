package dev.mmkit.ipc.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * ChannelSleepEvent is the JDK Flight Recorder event {@code mmkit.ipc.Sleep}: a blocking send or
 * receive found nothing to do after spinning and slept on the channel's futex word. Its duration is
 * the sleep; {@code woken} says whether the other side's signal ended it (rather than the time
 * limit of one sleep). It costs nothing unless a recording enables it.
 */
@Name("mmkit.ipc.Sleep")
@Label("Channel Sleep")
@Category({"mmkit", "IPC"})
@Description("A blocking channel operation slept on its futex word after spinning.")
@StackTrace(false)
@Threshold("0 ms")
final class ChannelSleepEvent extends Event {
  @Label("Channel")
  String channel;

  @Label("Woken By Signal")
  @Description("Whether the other side's signal ended the sleep, rather than its time limit")
  boolean woken;
}
