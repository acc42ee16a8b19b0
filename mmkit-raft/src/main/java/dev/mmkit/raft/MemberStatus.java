package dev.mmkit.raft;

/**
 * MemberStatus is what one member reported about itself, or that it could not be reached.
 *
 * @param peer the member
 * @param reachable whether it answered; the other fields are 0 or empty when it did not
 * @param role its Raft role: LEADER, FOLLOWER, CANDIDATE, LISTENER, or empty
 * @param term the term of the last entry it knows to be committed
 * @param committed the last log index it knows to be committed
 * @param applied the last log index it handed to its store
 * @param snapshot the index of its latest snapshot, -1 for none
 */
public record MemberStatus(
    Peer peer,
    boolean reachable,
    String role,
    long term,
    long committed,
    long applied,
    long snapshot) {}
