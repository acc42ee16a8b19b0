package dev.mmkit.raft;

import java.nio.charset.StandardCharsets;

/**
 * KeyValue is one key read from the replicated store, with its value and revision.
 *
 * @param key the key
 * @param value the value
 * @param revision the revision of the write that last stored the value (the index of its log
 *     entry); compare it with {@link Compare#revisionEquals} for an optimistic update
 */
public record KeyValue(byte[] key, byte[] value, long revision) {
  /** Returns the value decoded as UTF-8. */
  public String valueUtf8() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public String toString() {
    return "KeyValue[key="
        + new String(key, StandardCharsets.UTF_8)
        + ", bytes="
        + value.length
        + ", revision="
        + revision
        + "]";
  }
}
