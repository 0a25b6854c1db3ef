package dev.bkv.retirement;

import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.Json;
import dev.bkv.evidence.MalformedEvidenceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@code bkv fleet retire} writes and the cosigner logs and publishes
 * ({@code retirements/<epoch>.json}): the operator's signed statement and every member's signed
 * read-back it names, so anyone can check them offline.
 */
public record RetirementFile(String format, Envelope statement, List<Envelope> readbacks) {
  public static final String FORMAT = "bkv.dev/fleet-retirement/v1";

  public RetirementFile {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(statement, "statement");
    readbacks = List.copyOf(Objects.requireNonNull(readbacks, "readbacks"));
  }

  public static RetirementFile parse(byte[] json, String what) throws MalformedEvidenceException {
    RetirementFile f = Json.parse(json, RetirementFile.class, what);
    if (!FORMAT.equals(f.format)) {
      throw new MalformedEvidenceException(what + " has format '" + f.format + "'; expected '"
          + FORMAT + "'");
    }
    return f;
  }

  public static RetirementFile read(Path file) throws IOException, MalformedEvidenceException {
    return parse(Files.readAllBytes(file), "retirement file " + file);
  }

  public byte[] toBytes() {
    return Json.pretty(this);
  }
}
