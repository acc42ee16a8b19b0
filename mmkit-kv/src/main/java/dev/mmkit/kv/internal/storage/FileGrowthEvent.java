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
 * FileGrowthEvent is the JDK Flight Recorder event {@code mmkit.kv.FileGrowth}: a commit grew the
 * database file, writing zeros over the new part so that its space is really allocated. Its
 * duration is the writing of the zeros.
 */
@Name("mmkit.kv.FileGrowth")
@Label("File Growth")
@Category({"mmkit", "Key-Value"})
@Description("A commit grew the database file and allocated the new part with zeros.")
@StackTrace(false)
@Threshold("0 ms")
final class FileGrowthEvent extends Event {
  @Label("File")
  String file;

  @Label("Size Before")
  @DataAmount
  long fromSize;

  @Label("Size After")
  @DataAmount
  long toSize;
}
