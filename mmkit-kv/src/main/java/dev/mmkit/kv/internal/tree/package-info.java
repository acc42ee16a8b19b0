/**
 * The copy-on-write B+trees of buckets inside one transaction: {@link
 * dev.mmkit.kv.internal.tree.BucketTree} reads a bucket from its pages and materializes the {@link
 * dev.mmkit.kv.internal.tree.Node}s a write changes, {@link dev.mmkit.kv.internal.tree.PageCursor}
 * walks leaves in key order, the entry lists hold a node's entries, and {@link
 * dev.mmkit.kv.internal.tree.TreeSpill} turns changed nodes back into pages at commit. A tree asks
 * the transaction it belongs to for what it needs through {@link
 * dev.mmkit.kv.internal.tree.TreeTxn}, so this package does not depend on the transaction's.
 */
package dev.mmkit.kv.internal.tree;
