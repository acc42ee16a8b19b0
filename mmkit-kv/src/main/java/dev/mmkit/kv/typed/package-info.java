/**
 * Typed access to mmkit-kv buckets: {@link dev.mmkit.kv.typed.Codec}s that turn keys and values
 * into bytes (order-preserving for the common key types, or any serializer of one's own), {@link
 * dev.mmkit.kv.typed.TypedBucket} to get, put, delete and scan in those types, and a read-only
 * {@link java.util.NavigableMap} view of a bucket for code that expects one.
 */
package dev.mmkit.kv.typed;
