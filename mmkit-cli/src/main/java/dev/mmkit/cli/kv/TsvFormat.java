package dev.mmkit.cli.kv;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * TsvFormat is the text form of keys and values in {@code scan}, {@code dump} and {@code load}: one
 * entry per line, key and value separated by a tab. Valid UTF-8 text is written as is, except that
 * a backslash becomes {@code \\}, a tab {@code \t}, a newline {@code \n}, a carriage return {@code
 * \r}; any other control byte and any byte that is not part of valid UTF-8 becomes {@code \xHH}. So
 * any bytes round-trip, and text stays readable.
 */
public final class TsvFormat {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private TsvFormat() {}

  /** Returns the escaped text form of {@code bytes}. */
  public static String escape(byte[] bytes) {
    StringBuilder out = new StringBuilder(bytes.length + 8);
    int i = 0;
    while (i < bytes.length) {
      int b = bytes[i] & 0xFF;
      int n = utf8Length(bytes, i);
      if (n > 1) {
        out.append(new String(bytes, i, n, StandardCharsets.UTF_8));
        i += n;
        continue;
      }
      switch (b) {
        case '\\' -> out.append("\\\\");
        case '\t' -> out.append("\\t");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        default -> {
          if (b < 0x20 || b >= 0x7F) {
            out.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xF]);
          } else {
            out.append((char) b);
          }
        }
      }
      i++;
    }
    return out.toString();
  }

  /** Returns the length of the valid multi-byte UTF-8 sequence at {@code i}, or 1. */
  private static int utf8Length(byte[] b, int i) {
    int lead = b[i] & 0xFF;
    int n;
    int min;
    if (lead >= 0xC2 && lead <= 0xDF) {
      n = 2;
      min = 0x80;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      n = 3;
      min = 0x800;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      n = 4;
      min = 0x10000;
    } else {
      return 1;
    }
    if (i + n > b.length) {
      return 1;
    }
    int cp = lead & (0xFF >> (n + 1));
    for (int k = 1; k < n; k++) {
      int c = b[i + k] & 0xFF;
      if ((c & 0xC0) != 0x80) {
        return 1;
      }
      cp = (cp << 6) | (c & 0x3F);
    }
    boolean surrogate = cp >= 0xD800 && cp <= 0xDFFF;
    return cp < min || cp > 0x10FFFF || surrogate ? 1 : n;
  }

  /**
   * Returns the bytes of an escaped text form.
   *
   * @throws IllegalArgumentException on an unknown or cut escape
   */
  public static byte[] unescape(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    int start = 0;
    int i = text.indexOf('\\');
    while (i >= 0) {
      out.writeBytes(text.substring(start, i).getBytes(StandardCharsets.UTF_8));
      if (i + 1 >= text.length()) {
        throw new IllegalArgumentException("escape cut short at the end: text=" + text);
      }
      char c = text.charAt(i + 1);
      int length = 2;
      switch (c) {
        case '\\' -> out.write('\\');
        case 't' -> out.write('\t');
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case 'x' -> {
          if (i + 4 > text.length()) {
            throw new IllegalArgumentException("\\x needs two hex digits: text=" + text);
          }
          out.write(Integer.parseInt(text.substring(i + 2, i + 4), 16));
          length = 4;
        }
        default -> throw new IllegalArgumentException("unknown escape \\" + c + ": text=" + text);
      }
      start = i + length;
      i = text.indexOf('\\', start);
    }
    out.writeBytes(text.substring(start).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
