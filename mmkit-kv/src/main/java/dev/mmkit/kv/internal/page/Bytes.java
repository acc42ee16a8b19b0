package dev.mmkit.kv.internal.page;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Bytes reads and writes the little-endian integers of the file format in heap arrays and raw
 * segments, and compares keys as unsigned bytes.
 */
public final class Bytes {
  private static final VarHandle LONG_LE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle INT_LE =
      MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle SHORT_LE =
      MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
  private static final VarHandle LONG_BE =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

  /** Little-endian unaligned long layout of the file format. */
  public static final ValueLayout.OfLong SEG_LONG =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Little-endian unaligned int layout of the file format. */
  public static final ValueLayout.OfInt SEG_INT =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** Little-endian unaligned short layout of the file format. */
  public static final ValueLayout.OfShort SEG_SHORT =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private static final ValueLayout.OfLong SEG_LONG_BE =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

  private Bytes() {}

  /** Reads a little-endian long from an array. */
  public static long getLong(byte[] b, int off) {
    return (long) LONG_LE.get(b, off);
  }

  /** Writes a little-endian long into an array. */
  public static void putLong(byte[] b, int off, long v) {
    LONG_LE.set(b, off, v);
  }

  /** Reads a little-endian int from an array. */
  public static int getInt(byte[] b, int off) {
    return (int) INT_LE.get(b, off);
  }

  /** Writes a little-endian int into an array. */
  public static void putInt(byte[] b, int off, int v) {
    INT_LE.set(b, off, v);
  }

  /** Reads a little-endian unsigned short from an array. */
  public static int getU16(byte[] b, int off) {
    return ((short) SHORT_LE.get(b, off)) & 0xFFFF;
  }

  /** Writes a little-endian short into an array. */
  public static void putU16(byte[] b, int off, int v) {
    SHORT_LE.set(b, off, (short) v);
  }

  /** Reads a little-endian long from a segment. */
  public static long getLong(MemorySegment s, long off) {
    return s.get(SEG_LONG, off);
  }

  /** Reads a little-endian int from a segment. */
  public static int getInt(MemorySegment s, long off) {
    return s.get(SEG_INT, off);
  }

  /** Reads a little-endian unsigned short from a segment. */
  public static int getU16(MemorySegment s, long off) {
    return s.get(SEG_SHORT, off) & 0xFFFF;
  }

  /** Reads an unsigned byte from a segment. */
  public static int getU8(MemorySegment s, long off) {
    return s.get(ValueLayout.JAVA_BYTE, off) & 0xFF;
  }

  /** Returns a copy of {@code length} bytes of a segment at {@code at}. */
  public static byte[] copy(MemorySegment s, long at, int length) {
    byte[] b = new byte[length];
    MemorySegment.copy(s, ValueLayout.JAVA_BYTE, at, b, 0, length);
    return b;
  }

  /**
   * Compares {@code len} bytes of a segment at {@code off} with {@code key} as unsigned bytes,
   * shorter first on a common prefix. Reads the segment with plain loads only (no intrinsics that
   * could crash on a faulting mapping).
   */
  public static int compare(MemorySegment s, long off, int len, byte[] key) {
    int n = Math.min(len, key.length);
    int i = 0;
    for (; i + 8 <= n; i += 8) {
      long a = s.get(SEG_LONG_BE, off + i);
      long b = (long) LONG_BE.get(key, i);
      if (a != b) {
        return Long.compareUnsigned(a, b);
      }
    }
    for (; i < n; i++) {
      int a = s.get(ValueLayout.JAVA_BYTE, off + i) & 0xFF;
      int b = key[i] & 0xFF;
      if (a != b) {
        return a - b;
      }
    }
    return Integer.compare(len, key.length);
  }

  /**
   * Returns the first 8 bytes of {@code key} as an unsigned big-endian long, zero-padded when the
   * key is shorter: prefixes compare as their keys do, except that a tie needs the full keys.
   */
  public static long prefix(byte[] key) {
    if (key.length >= 8) {
      return (long) LONG_BE.get(key, 0);
    }
    long p = 0;
    for (int i = 0; i < 8; i++) {
      p = (p << 8) | (i < key.length ? key[i] & 0xFF : 0);
    }
    return p;
  }

  /** Compares two keys as unsigned bytes, shorter first on a common prefix. */
  public static int compare(byte[] a, byte[] b) {
    return Arrays.compareUnsigned(a, b);
  }

  /** Returns whether {@code key} starts with {@code prefix}. */
  public static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  /** Describes a key for a message: printable ASCII as is, otherwise hex, shortened. */
  public static String describe(byte[] key) {
    boolean printable = true;
    for (byte b : key) {
      if (b < 0x20 || b > 0x7E) {
        printable = false;
        break;
      }
    }
    String text =
        printable ? new String(key, java.nio.charset.StandardCharsets.US_ASCII) : "0x" + hex(key);
    return text.length() > 64 ? text.substring(0, 61) + "... (" + key.length + " bytes)" : text;
  }

  private static String hex(byte[] key) {
    return HexFormat.of().formatHex(key, 0, Math.min(key.length, 32));
  }
}
