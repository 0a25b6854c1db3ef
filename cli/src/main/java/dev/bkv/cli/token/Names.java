package dev.bkv.cli.token;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Command-line spellings of enum values: {@code EC_P256} is {@code ec-p256}. */
final class Names {
  private Names() {}

  static String of(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  static <E extends Enum<E>> E parse(Class<E> type, String text) {
    for (E e : type.getEnumConstants()) {
      if (of(e).equals(text)) {
        return e;
      }
    }
    throw new TypeConversionException("'" + text + "' is not one of "
        + Arrays.stream(type.getEnumConstants()).map(Names::of).toList());
  }

  static final class TypeConverter implements ITypeConverter<TokenKeygen.Type> {
    @Override
    public TokenKeygen.Type convert(String value) {
      return parse(TokenKeygen.Type.class, value);
    }
  }

  static final class UsageConverter implements ITypeConverter<TokenKeygen.Usage> {
    @Override
    public TokenKeygen.Usage convert(String value) {
      return parse(TokenKeygen.Usage.class, value);
    }
  }
}
