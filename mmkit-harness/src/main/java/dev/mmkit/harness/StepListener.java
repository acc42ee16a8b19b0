package dev.mmkit.harness;

/**
 * StepListener hears how far a long measurement has come: what it is doing now and how many steps
 * it has finished. The command line shows it as a progress bar; {@link #NONE} ignores it.
 */
public interface StepListener {
  /** A listener that ignores everything. */
  StepListener NONE =
      new StepListener() {
        @Override
        public void say(String message) {}

        @Override
        public void stepBy(long steps) {}
      };

  /** Tells what is being done now, in a few words. */
  void say(String message);

  /** Tells that {@code steps} more steps are done. */
  void stepBy(long steps);
}
