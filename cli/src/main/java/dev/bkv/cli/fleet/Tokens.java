package dev.bkv.cli.fleet;

import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Config;
import dev.bkv.pkcs11.Pkcs11Token;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Several open tokens, closed together; and the evidence clock. */
public final class Tokens implements AutoCloseable {
  private final List<Pkcs11Token> open = new ArrayList<>();

  /** Opens the token a config file names; it is closed with this object. */
  public Pkcs11Token open(Path config) throws HsmException {
    Pkcs11Token t = Pkcs11Token.open(Pkcs11Config.load(config));
    open.add(t);
    return t;
  }

  @Override
  public void close() {
    open.forEach(Pkcs11Token::close);
  }

  /** The system clock, or a fixed instant ({@code --time}) for reproducible evidence. */
  public static Clock clock(String time) {
    if (time == null) {
      return Clock.systemUTC();
    }
    try {
      return Clock.fixed(Instant.parse(time), ZoneOffset.UTC);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--time '" + time + "' is not an ISO-8601 instant such as 2026-01-31T12:00:00Z");
    }
  }
}
