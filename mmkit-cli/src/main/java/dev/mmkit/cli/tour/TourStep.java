package dev.mmkit.cli.tour;

/**
 * TourStep is one stop of {@code mmkit tour}: it shows one thing mmkit does, on files under {@link
 * TourContext#directory()}, and prints what it did and what it measured.
 */
public interface TourStep {

  /** Returns the step's title, one short line. */
  String title();

  /**
   * Runs the step. A step that cannot run on this platform says so through the context and returns;
   * any exception fails the tour.
   */
  void run(TourContext context) throws Exception;
}
