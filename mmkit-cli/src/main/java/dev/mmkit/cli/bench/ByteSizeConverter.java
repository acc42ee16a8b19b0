package dev.mmkit.cli.bench;

import java.util.Locale;
import picocli.CommandLine;

/**
 * ByteSizeConverter reads a byte count with an optional binary unit: {@code 4096}, {@code 64k},
 * {@code 512MiB}, {@code 4G}. Units are powers of 1024 whether or not they carry the "i".
 */
final class ByteSizeConverter implements CommandLine.ITypeConverter<Long> {

  @Override
  public Long convert(String value) {
    String text = value.trim().toLowerCase(Locale.ROOT).replace("ib", "").replace("b", "");
    long unit = 1;
    if (!text.isEmpty()) {
      switch (text.charAt(text.length() - 1)) {
        case 'k' -> unit = 1L << 10;
        case 'm' -> unit = 1L << 20;
        case 'g' -> unit = 1L << 30;
        case 't' -> unit = 1L << 40;
        default -> unit = 1;
      }
    }
    String digits = unit == 1 ? text : text.substring(0, text.length() - 1);
    try {
      return Math.multiplyExact(Long.parseLong(digits.trim()), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new CommandLine.TypeConversionException(
          "not a byte size: '" + value + "' (examples: 4096, 64MiB, 4GiB)");
    }
  }
}
