package dev.mmkit.ipc.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * ProducerRecoveredEvent is the JDK Flight Recorder event {@code mmkit.ipc.ProducerRecovered}: a
 * consumer skipped the space a producer had reserved in the ring and died before committing, so the
 * channel went on. It costs nothing unless a recording enables it.
 */
@Name("mmkit.ipc.ProducerRecovered")
@Label("Dead Producer Recovered")
@Category({"mmkit", "IPC"})
@Description("A reservation of a producer that died was skipped and the channel went on.")
@StackTrace(false)
final class ProducerRecoveredEvent extends Event {
  @Label("Channel")
  String channel;

  @Label("Bytes Skipped")
  @DataAmount
  long skippedBytes;

  @Label("Position")
  @Description("Ring position of the skipped reservation")
  long position;
}
