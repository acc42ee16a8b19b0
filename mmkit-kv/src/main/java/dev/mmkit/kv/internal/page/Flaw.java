package dev.mmkit.kv.internal.page;

/**
 * Flaw is a problem found in the bytes of a page, not yet tied to the page: its kind and its {@code
 * key=value} details. Readers throw it as text; the checker reports it as a {@link
 * dev.mmkit.kv.DbProblem} on the page it was found in.
 *
 * @param kind the kind of problem
 * @param detail the details in {@code key=value} form, empty when there are none
 */
public record Flaw(ProblemKind kind, String detail) {
  /** Returns the kind's phrase, then {@code : } and the detail when there is one. */
  @Override
  public String toString() {
    return kind.on(-1, detail).toString();
  }
}
