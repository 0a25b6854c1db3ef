package dev.bkv.evidence;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * A DSSE envelope ({@code evidence.dsse.json}): the payload (standard base64), its type, and
 * signatures over {@link Dsse#pae}. Signatures are ECDSA P-256 with SHA-256, ASN.1 DER,
 * standard base64; {@code keyid} is the SHA-256 (hex) of the signer's 65-byte public point.
 */
public record Envelope(String payloadType, String payload, List<Signature> signatures) {

  /** One signature. */
  public record Signature(String keyid, String sig) {
    public Signature {
      Objects.requireNonNull(keyid, "keyid");
      Objects.requireNonNull(sig, "sig");
    }
  }

  public Envelope {
    Objects.requireNonNull(payloadType, "payloadType");
    Objects.requireNonNull(payload, "payload");
    signatures = List.copyOf(signatures == null ? List.of() : signatures);
  }

  /** An unsigned envelope over {@code body}. */
  public static Envelope unsigned(byte[] body) {
    return new Envelope(Dsse.PAYLOAD_TYPE, Base64.getEncoder().encodeToString(body), List.of());
  }

  /** The payload bytes. */
  public byte[] payloadBytes() throws MalformedEvidenceException {
    try {
      return Base64.getDecoder().decode(payload);
    } catch (IllegalArgumentException e) {
      throw new MalformedEvidenceException("envelope payload is not standard base64: " + e.getMessage());
    }
  }

  /** What every signature covers. */
  public byte[] pae() throws MalformedEvidenceException {
    return Dsse.pae(payloadType, payloadBytes());
  }

  /** This envelope plus one signature; an earlier signature with the same keyid is replaced. */
  public Envelope withSignature(String keyid, byte[] der) {
    List<Signature> out = new ArrayList<>();
    for (Signature s : signatures) {
      if (!s.keyid().equals(keyid)) {
        out.add(s);
      }
    }
    out.add(new Signature(keyid, Base64.getEncoder().encodeToString(der)));
    return new Envelope(payloadType, payload, out);
  }

  public static Envelope read(Path file) throws IOException, MalformedEvidenceException {
    return Json.parse(Files.readAllBytes(file), Envelope.class, "evidence envelope " + file);
  }

  public void write(Path file) throws IOException {
    Files.write(file, Json.pretty(this));
  }
}
