package dev.mmkit.kv.internal.tree;

import dev.mmkit.kv.internal.page.NodeLayout;

/** Keys validates keys and values before they enter a tree. */
public final class Keys {
  private Keys() {}

  /** Fails unless {@code key} has 1 to {@link NodeLayout#MAX_KEY_SIZE} bytes. */
  public static void checkKey(byte[] key) {
    if (key == null) {
      throw new IllegalArgumentException("key must not be null");
    }
    if (key.length == 0 || key.length > NodeLayout.MAX_KEY_SIZE) {
      throw new IllegalArgumentException(
          "key size out of range: size=" + key.length + ", max=" + NodeLayout.MAX_KEY_SIZE);
    }
  }

  /** Fails unless a value of {@code length} bytes may be stored. */
  public static void checkValue(long length) {
    if (length > NodeLayout.MAX_VALUE_SIZE) {
      throw new IllegalArgumentException(
          "value too large: size=" + length + ", max=" + NodeLayout.MAX_VALUE_SIZE);
    }
  }
}
