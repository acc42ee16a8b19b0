package dev.mmkit.ipc.internal;

/**
 * ReservationProbe is told when a producer reaches each step of a reservation, in the producer's
 * thread. Crash tests use it to stop a producer at an exact step and kill it there; senders made
 * through the public API have none.
 */
interface ReservationProbe {
  /** A step of a reservation. */
  enum Step {
    /** The producer's slot names the reservation; the tail has not moved yet. */
    SLOT_WRITTEN,
    /** The tail has moved past the reservation; nothing is written in it yet. */
    TAIL_MOVED
  }

  /**
   * Called when the producer reaches {@code step} of a reservation that starts at {@code position}.
   */
  void reached(Step step, long position);
}
