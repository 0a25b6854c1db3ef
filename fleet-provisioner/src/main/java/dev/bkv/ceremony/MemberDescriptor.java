package dev.bkv.ceremony;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.evidence.Json;
import dev.bkv.evidence.MalformedEvidenceException;
import dev.bkv.pkcs11.OaepHash;
import dev.bkv.pkcs11.TokenDescription;
import dev.bkv.pkcs11.PublicValue;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A member's public description ({@code <id>.member.json}): its token, identity key, transport
 * key, the OAEP hashes its token takes with that key ({@code transportOaep}, e.g.
 * {@code ["SHA-256", "SHA-1"]}, tried on the key), and a proof of possession — the identity
 * key's ECDSA P-256 signature (DER, base64) over the canonical JSON of this record with
 * {@code proofOfPossession} empty.
 */
public record MemberDescriptor(String schema, String memberId, TokenDescription token,
                               String identityKey, String transportModulus,
                               String transportExponent, List<String> transportOaep,
                               String proofOfPossession) {
  public static final String SCHEMA = "bkv.dev/member-descriptor/v2";

  public MemberDescriptor {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(identityKey, "identityKey");
    Objects.requireNonNull(transportModulus, "transportModulus");
    Objects.requireNonNull(transportExponent, "transportExponent");
    transportOaep = List.copyOf(Objects.requireNonNull(transportOaep, "transportOaep"));
    Objects.requireNonNull(proofOfPossession, "proofOfPossession");
  }

  /** What the proof of possession signs. */
  public byte[] signedBytes() {
    return Json.canonical(new MemberDescriptor(schema, memberId, token, identityKey,
        transportModulus, transportExponent, transportOaep, ""));
  }

  /** The OAEP hashes the member's token takes with its transport key; unknown names are left out. */
  public Set<OaepHash> transportOaepHashes() {
    Set<OaepHash> out = EnumSet.noneOf(OaepHash.class);
    for (String t : transportOaep) {
      OaepHash.ofTitle(t).ifPresent(out::add);
    }
    return out;
  }

  public PublicValue.Rsa transportKey() {
    return new PublicValue.Rsa(new BigInteger(transportModulus, 16), new BigInteger(transportExponent, 16));
  }

  /** SHA-256 (hex) of the transport modulus, as member statements list it. */
  public String transportFingerprint() {
    return Sha256.hex(transportKey().encoded());
  }

  public byte[] identityPoint() {
    return HexFormat.of().parseHex(identityKey);
  }

  /** Checks schema and proof of possession; the message names the member and the problem. */
  public MemberDescriptor verified() throws MalformedEvidenceException {
    if (!SCHEMA.equals(schema)) {
      throw new MalformedEvidenceException("member descriptor of " + memberId + " has schema '"
          + schema + "'; expected '" + SCHEMA + "'");
    }
    boolean ok;
    try {
      ok = EcdsaP256.verify(identityPoint(), signedBytes(), Base64.getDecoder().decode(proofOfPossession));
      transportKey();
    } catch (IllegalArgumentException e) {
      throw new MalformedEvidenceException("member descriptor of " + memberId + " is malformed: "
          + e.getMessage());
    }
    if (!ok) {
      throw new MalformedEvidenceException("member descriptor of " + memberId
          + ": proof of possession does not verify under its identity key");
    }
    return this;
  }

  public static MemberDescriptor read(Path file) throws IOException, MalformedEvidenceException {
    return Json.parse(Files.readAllBytes(file), MemberDescriptor.class, "member descriptor " + file)
        .verified();
  }

  public void write(Path file) throws IOException {
    Files.write(file, Json.pretty(this));
  }
}
