package dev.mmkit.cli.tour;

import dev.mmkit.cli.PeerJvm;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * TourContext is what a {@link TourStep} gets: a private temporary directory, a way to print
 * findings, and a way to start a peer process running a class of the command line's class path.
 */
public final class TourContext {
  private final Path directory;
  private final PrintWriter out;

  /** Creates a context over a directory the tour owns and deletes afterwards. */
  public TourContext(Path directory, PrintWriter out) {
    this.directory = directory;
    this.out = out;
  }

  /** Returns the step's scratch directory; everything in it is deleted after the tour. */
  public Path directory() {
    return directory;
  }

  /** Prints one indented line of what the step did or measured ({@link String#format} style). */
  public void say(String format, Object... args) {
    out.println("    " + String.format(Locale.ROOT, format, args));
    out.flush();
  }

  /**
   * Starts {@code main} in a peer JVM: the same Java, class path and native access as this one. Its
   * standard error is inherited so a failure shows on the terminal.
   */
  public Process startPeer(Class<?> main, String... args) throws IOException {
    return PeerJvm.start(List.of(), List.of(), main, List.of(args));
  }
}
