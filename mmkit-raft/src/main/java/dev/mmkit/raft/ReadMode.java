package dev.mmkit.raft;

import java.util.Objects;

/**
 * ReadMode chooses, per read, what a read promises and what it costs. Every mode reads one
 * committed snapshot of one member's store: a read never sees half of a write.
 *
 * <ul>
 *   <li>{@link #linearizable()}, the default: the read sees every write acknowledged before it
 *       began (Raft's ReadIndex: the leader confirms it still leads with a heartbeat to a majority,
 *       and the read waits until the store has applied the leader's commit index). Costs one round
 *       trip from the leader to a majority on top of the read.
 *   <li>{@link #leader()}: the leader reads its own store without confirming that it still leads.
 *       One round trip; a leader cut off from the others that has not yet noticed (for up to an
 *       election timeout) can miss writes a newer leader acknowledged.
 *   <li>{@link #follower(String, long)}: the named member reads its own store once it has applied
 *       the log up to a revision the caller names, typically the {@link WriteResult#revision()} of
 *       its last write (read your writes). Spreads reads over all members; may miss writes after
 *       that revision. Waits, retrying, while the member lags, up to the client's timeout.
 * </ul>
 */
public final class ReadMode {
  private static final ReadMode LINEARIZABLE = new ReadMode(Kind.LINEARIZABLE, null, 0);
  private static final ReadMode LEADER = new ReadMode(Kind.LEADER, null, 0);

  /** The kinds of read. */
  public enum Kind {
    /** ReadIndex through the leader; sees every write acknowledged before the read began. */
    LINEARIZABLE,
    /** The leader's store, read without confirming leadership. */
    LEADER,
    /** One named member's store, at or after a given revision. */
    FOLLOWER
  }

  private final Kind kind;
  private final String member;
  private final long minRevision;

  private ReadMode(Kind kind, String member, long minRevision) {
    this.kind = kind;
    this.member = member;
    this.minRevision = minRevision;
  }

  /** Returns the linearizable mode, the default. */
  public static ReadMode linearizable() {
    return LINEARIZABLE;
  }

  /** Returns the leader-local mode. */
  public static ReadMode leader() {
    return LEADER;
  }

  /**
   * Returns the mode that reads member {@code member} once it applied the log up to {@code
   * minRevision} (0 reads whatever it has).
   */
  public static ReadMode follower(String member, long minRevision) {
    if (minRevision < 0) {
      throw new IllegalArgumentException("negative revision: minRevision=" + minRevision);
    }
    return new ReadMode(Kind.FOLLOWER, Objects.requireNonNull(member, "member"), minRevision);
  }

  /** Returns the kind of read. */
  public Kind kind() {
    return kind;
  }

  /** Returns the member a follower read goes to, or null for the other kinds. */
  public String member() {
    return member;
  }

  /** Returns the revision a follower read waits for, 0 for the other kinds. */
  public long minRevision() {
    return minRevision;
  }

  @Override
  public String toString() {
    return kind == Kind.FOLLOWER
        ? "ReadMode[follower, member=" + member + ", minRevision=" + minRevision + "]"
        : "ReadMode[" + kind.name().toLowerCase(java.util.Locale.ROOT) + "]";
  }
}
