package dev.mmkit.ipc.internal;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * BroadcastLapEvent is the JDK Flight Recorder event {@code mmkit.ipc.Lap}: a broadcast receiver
 * fell a whole ring behind the transmitter and jumped to the newest message, losing what it had not
 * read. It costs nothing unless a recording enables it.
 */
@Name("mmkit.ipc.Lap")
@Label("Broadcast Lap")
@Category({"mmkit", "IPC"})
@Description("A broadcast receiver was lapped by its transmitter and skipped ahead.")
@StackTrace(false)
final class BroadcastLapEvent extends Event {
  @Label("Channel")
  String channel;

  @Label("Bytes Skipped")
  @Description("How far the receiver jumped: bytes of records it never read")
  @DataAmount
  long skippedBytes;

  @Label("Laps")
  @Description("Laps of this receiver so far, this one included")
  long laps;
}
