package dev.mmkit.cli.kv;

/** KeyText shortens keys given on the command line before they appear in a message. */
final class KeyText {
  private static final int SHOWN = 64;

  private KeyText() {}

  /** Returns {@code key} as given, or its first 64 characters and its length in bytes. */
  static String shortened(String key) {
    if (key.length() <= SHOWN) {
      return key;
    }
    int bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    return key.substring(0, SHOWN) + "... (" + bytes + " bytes)";
  }
}
