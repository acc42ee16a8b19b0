package dev.mmkit.raft;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * RegisterChecker decides whether a concurrent history of one register (reads, writes and
 * compare-and-sets, each with the times it was called and answered) is linearizable: whether some
 * order of the operations, each placed between its call and its answer, explains every result. It
 * is the Wing-Gong search with a cache of visited (operations done, register value) pairs.
 * Operations whose outcome is unknown (the client timed out) may take effect at any time after
 * their call, or never.
 */
final class RegisterChecker {
  /** The kinds of operation. */
  enum Kind {
    READ,
    WRITE,
    CAS
  }

  /**
   * Event is one operation of a history.
   *
   * @param kind what it did
   * @param value the value read, or the value written
   * @param expected the value a compare-and-set expected (null: absent)
   * @param succeeded whether a compare-and-set applied
   * @param call when it was called
   * @param answer when it was answered, or {@link Long#MAX_VALUE} when its outcome is unknown
   */
  record Event(
      Kind kind, String value, String expected, boolean succeeded, long call, long answer) {
    boolean unknown() {
      return answer == Long.MAX_VALUE;
    }
  }

  private final List<Event> events;
  private final Set<State> visited = new HashSet<>();

  private record State(BitSet done, String value) {}

  private RegisterChecker(List<Event> events) {
    this.events = events.stream().sorted(Comparator.comparingLong(Event::call)).toList();
  }

  /** Returns whether {@code history}, starting from an absent register, is linearizable. */
  static boolean isLinearizable(List<Event> history) {
    List<Event> kept = new ArrayList<>();
    for (Event e : history) {
      if (!(e.kind() == Kind.READ && e.unknown())) {
        kept.add(e);
      }
    }
    return new RegisterChecker(kept).search(new BitSet(), null);
  }

  private boolean search(BitSet done, String value) {
    long earliestAnswer = Long.MAX_VALUE;
    boolean knownLeft = false;
    for (int i = done.nextClearBit(0); i < events.size(); i = done.nextClearBit(i + 1)) {
      Event e = events.get(i);
      if (!e.unknown()) {
        knownLeft = true;
        earliestAnswer = Math.min(earliestAnswer, e.answer());
      }
    }
    if (!knownLeft) {
      return true;
    }
    if (!visited.add(new State((BitSet) done.clone(), value))) {
      return false;
    }
    for (int i = done.nextClearBit(0); i < events.size(); i = done.nextClearBit(i + 1)) {
      Event e = events.get(i);
      if (e.call() > earliestAnswer) {
        break; // called after some pending operation answered: cannot come first
      }
      for (String next : outcomes(e, value)) {
        done.set(i);
        boolean ok = search(done, next);
        done.clear(i);
        if (ok) {
          return true;
        }
      }
    }
    return false;
  }

  /** Returns the register values {@code e} can leave when applied to {@code value}, if any. */
  private static List<String> outcomes(Event e, String value) {
    return switch (e.kind()) {
      case READ -> Objects.equals(e.value(), value) ? listOf(value) : List.of();
      case WRITE -> List.of(e.value());
      case CAS -> {
        boolean matches = Objects.equals(e.expected(), value);
        if (e.unknown()) {
          yield matches ? List.of(e.value()) : listOf(value);
        }
        if (e.succeeded()) {
          yield matches ? List.of(e.value()) : List.of();
        }
        yield matches ? List.of() : listOf(value);
      }
    };
  }

  private static List<String> listOf(String value) {
    List<String> one = new ArrayList<>(1);
    one.add(value);
    return one;
  }
}
