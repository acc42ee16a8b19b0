package dev.mmkit.raft.internal;

import dev.mmkit.kv.Bucket;
import dev.mmkit.kv.Tx;
import dev.mmkit.raft.BucketPath;
import dev.mmkit.raft.Compare;
import dev.mmkit.raft.Op;
import dev.mmkit.raft.Write;
import java.util.Arrays;
import java.util.List;

/**
 * Mutations applies one {@link Write} to a write transaction: it evaluates the conditions, then
 * makes the changes of the branch they choose. The outcome depends only on the database and the
 * write, so every member that applies the same entry to the same state reaches the same state.
 */
final class Mutations {
  private Mutations() {}

  /**
   * Refused is a write that cannot apply; the caller rolls its transaction back.
   *
   * @param error why
   * @param message what, in key=value form
   */
  record Refused(Response.Error error, String message) {}

  /** Thrown inside a write when a change cannot apply. */
  static final class RefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Refused refused;

    RefusedException(Response.Error error, String message) {
      super(message, null, false, false);
      this.refused = new Refused(error, message);
    }

    Refused refused() {
      return refused;
    }
  }

  /**
   * Applies {@code write} in {@code tx} as the entry at {@code revision}; returns whether the
   * then-branch applied.
   *
   * @throws RefusedException when a change cannot apply; {@code tx} then holds part of the write
   *     and must be rolled back
   */
  static boolean apply(Tx tx, Write write, long revision) {
    boolean succeeded = holds(tx, write.compares());
    List<Op> ops = succeeded ? write.then() : write.otherwise();
    for (Op op : ops) {
      try {
        change(tx, op, revision);
      } catch (IllegalStateException | IllegalArgumentException e) {
        throw new RefusedException(Response.Error.REJECTED, e.getMessage());
      }
    }
    return succeeded;
  }

  private static boolean holds(Tx tx, List<Compare> compares) {
    for (Compare c : compares) {
      Bucket b = StoreLayout.resolve(tx, c.bucket());
      byte[] stored = b == null ? null : b.getBytes(c.key());
      boolean holds =
          switch (c) {
            case Compare.Absent a -> stored == null;
            case Compare.ValueEquals v ->
                stored != null && Arrays.equals(StoreLayout.value(stored), v.value());
            case Compare.RevisionEquals r ->
                (stored == null ? 0 : StoreLayout.revision(stored)) == r.revision();
          };
      if (!holds) {
        return false;
      }
    }
    return true;
  }

  private static void change(Tx tx, Op op, long revision) {
    switch (op) {
      case Op.Put p ->
          existing(tx, p.bucket()).put(p.key(), StoreLayout.stored(revision, p.value()));
      case Op.Delete d -> existing(tx, d.bucket()).delete(d.key());
      case Op.CreateBucket c -> {
        if (c.bucket().isRoot()) {
          return;
        }
        existing(tx, c.bucket().parent()).createBucketIfAbsent(c.bucket().last());
      }
      case Op.DeleteBucket d -> {
        if (d.bucket().isRoot()) {
          throw new RefusedException(Response.Error.REJECTED, "cannot delete the top level");
        }
        existing(tx, d.bucket().parent()).deleteBucket(d.bucket().last());
      }
    }
  }

  private static Bucket existing(Tx tx, BucketPath path) {
    Bucket b = StoreLayout.resolve(tx, path);
    if (b == null) {
      throw new RefusedException(Response.Error.UNKNOWN_BUCKET, "unknown bucket: bucket=" + path);
    }
    return b;
  }
}
