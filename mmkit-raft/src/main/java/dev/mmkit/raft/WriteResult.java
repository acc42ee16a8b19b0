package dev.mmkit.raft;

/**
 * WriteResult says how a {@link Write} was applied.
 *
 * @param succeeded whether every condition held, so the then-branch applied (else the other one)
 * @param revision the write's revision: the index of its entry in the replicated log, which every
 *     key it wrote now carries; pass it to {@link ReadMode#follower} to read your own write from
 *     any member
 */
public record WriteResult(boolean succeeded, long revision) {}
