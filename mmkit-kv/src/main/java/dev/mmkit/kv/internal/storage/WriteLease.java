package dev.mmkit.kv.internal.storage;

import dev.mmkit.core.SharedLock;

/**
 * WriteLease is the writer's hold on the store: the snapshot it builds on, the cross-process writer
 * lock, and the free-page state.
 *
 * @param snapshot the committed state the write transaction starts from
 * @param guard the held cross-process writer lock
 * @param free the free-page state matching {@code snapshot}
 * @param txid the txid the transaction commits as: above the snapshot's, never one that a commit
 *     may already have written pages with ({@link StoreWriter#nextTxid}), and of the other parity
 *     than the snapshot's, so that its meta page goes to the slot the snapshot's does not use
 */
public record WriteLease(Snapshot snapshot, SharedLock.Guard guard, FreeState free, long txid) {}
