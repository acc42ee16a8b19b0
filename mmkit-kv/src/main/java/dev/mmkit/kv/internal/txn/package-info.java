/**
 * Transactions: {@link dev.mmkit.kv.internal.txn.TxnState} is the engine side of a read or write
 * transaction (its snapshot, root bucket, views and freed pages), and {@link
 * dev.mmkit.kv.internal.txn.Commit} writes a write transaction to the file and makes it visible.
 */
package dev.mmkit.kv.internal.txn;
