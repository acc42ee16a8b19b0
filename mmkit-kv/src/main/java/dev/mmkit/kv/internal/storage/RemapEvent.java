package dev.mmkit.kv.internal.storage;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;
import jdk.jfr.Threshold;

/**
 * RemapEvent is the JDK Flight Recorder event {@code mmkit.kv.Remap}: a transaction needed pages
 * past the end of the process's mapping of the file (it grew), so the whole file was mapped anew;
 * the old mapping is unmapped once no transaction uses it. Its duration is the new mapping.
 */
@Name("mmkit.kv.Remap")
@Label("Remap")
@Category({"mmkit", "Key-Value"})
@Description("The database file was mapped anew because it grew past the mapping.")
@StackTrace(false)
@Threshold("0 ms")
final class RemapEvent extends Event {
  @Label("File")
  String file;

  @Label("Mapped Before")
  @DataAmount
  long fromSize;

  @Label("Mapped After")
  @DataAmount
  long toSize;
}
