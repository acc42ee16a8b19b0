package dev.mmkit.core;

import java.nio.file.Path;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * TruncationFaultEvent is the JDK Flight Recorder event {@code mmkit.core.TruncationFault}: an
 * access found its file shorter than the range it touched, and mmkit turned the fault into a {@link
 * TruncatedException}. It costs nothing unless a recording enables it.
 */
@Name("mmkit.core.TruncationFault")
@Label("Truncation Fault")
@Category({"mmkit", "Core"})
@Description("A mapped file was shorter than the range accessed; the access failed cleanly.")
@StackTrace(true)
final class TruncationFaultEvent extends Event {
  @Label("File")
  String file;

  @Label("Offset")
  @DataAmount
  long offset;

  @Label("Length")
  @DataAmount
  long length;

  @Label("File Size")
  @Description("Size of the file when the fault was seen; -1 when unknown")
  @DataAmount
  long fileSize;

  static void record(Path file, long offset, long length, long fileSize) {
    TruncationFaultEvent event = new TruncationFaultEvent();
    if (event.isEnabled()) {
      event.file = String.valueOf(file);
      event.offset = offset;
      event.length = length;
      event.fileSize = fileSize;
      event.commit();
    }
  }
}
