package dev.mmkit.raft;

import java.util.List;

/**
 * Write is one replicated transaction: conditions, the changes made when all of them hold, and the
 * changes made otherwise (compare, then, else). Every member applies it as one transaction of its
 * store, in log order, so it is atomic and isolated on every member: either branch applies whole,
 * and a failing change (an unknown bucket, a key that names a bucket) applies nothing at all.
 *
 * <pre>{@code
 * Write cas = Write.when(Compare.valueEquals(users, alice, v1))
 *     .then(Op.put(users, alice, v2))
 *     .otherwise();
 * }</pre>
 *
 * @param compares the conditions, all of which must hold for {@code then} to apply
 * @param then the changes made when every condition holds (always, when there are none)
 * @param otherwise the changes made when a condition fails
 */
public record Write(List<Compare> compares, List<Op> then, List<Op> otherwise) {
  /** Creates a write; the lists are copied. */
  public Write {
    compares = List.copyOf(compares);
    then = List.copyOf(then);
    otherwise = List.copyOf(otherwise);
  }

  /** Returns a write with no conditions that makes {@code ops}. */
  public static Write of(Op... ops) {
    return new Write(List.of(), List.of(ops), List.of());
  }

  /** Starts a write guarded by {@code compares}; name its branches with {@code then}. */
  public static Guard when(Compare... compares) {
    return new Guard(List.of(compares));
  }

  /**
   * Guard is a write under construction that has its conditions.
   *
   * @param compares the conditions
   */
  public record Guard(List<Compare> compares) {
    /** Names the changes made when every condition holds. */
    public Branch then(Op... ops) {
      return new Branch(compares, List.of(ops));
    }
  }

  /**
   * Branch is a write under construction that has its conditions and its then-branch.
   *
   * @param compares the conditions
   * @param then the changes made when every condition holds
   */
  public record Branch(List<Compare> compares, List<Op> then) {
    /** Completes the write with the changes made when a condition fails (possibly none). */
    public Write otherwise(Op... ops) {
      return new Write(compares, then, List.of(ops));
    }
  }
}
