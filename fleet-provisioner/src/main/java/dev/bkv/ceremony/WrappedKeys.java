package dev.bkv.ceremony;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.evidence.Json;
import dev.bkv.evidence.MalformedEvidenceException;
import dev.bkv.pkcs11.TokenDescription;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * The fleet keys wrapped for one member ({@code <member>.keys.json} in the split ceremony): an
 * AES-256 transport key under the member's RSA transport key (OAEP with the hash named in
 * {@code transportOaep}: SHA-256 where both tokens take it, else SHA-1), the fleet keys and
 * the group wrap keys this member holds under that AES key (AES key wrap with padding), all
 * signed by the genesis identity key. Only the member's HSM can unwrap it; the signature lets the
 * member check it came from the genesis.
 *
 * @param members      every member id of the fleet (the share layout), the genesis included
 * @param transportKey SHA-256 (hex) of the recipient's transport modulus
 * @param genesisKey   the genesis member's identity public point (hex)
 * @param signature    genesis identity ECDSA P-256 (DER, base64) over the canonical JSON of this
 *                     record with {@code signature} empty
 */
public record WrappedKeys(String schema, String fleetId, long epoch, String memberId,
                          List<String> members, String transportKey, TokenDescription genesisToken, String genesisKey,
                          String wrappedTransportKey, String transportOaep, List<Entry> keys,
                          String signature) {
  public static final String SCHEMA = "bkv.dev/wrapped-fleet-keys/v3";

  /** One wrapped fleet key or group wrap key; {@code publicValue} (hex) only for EC keys. */
  public record Entry(String label, String keyType, String id, String publicValue, String wrapped) {
    public Entry {
      Objects.requireNonNull(label, "label");
      Objects.requireNonNull(keyType, "keyType");
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(wrapped, "wrapped");
    }

    public byte[] wrappedBytes() {
      return Base64.getDecoder().decode(wrapped);
    }
  }

  public WrappedKeys {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(fleetId, "fleetId");
    Objects.requireNonNull(memberId, "memberId");
    members = List.copyOf(Objects.requireNonNull(members, "members"));
    Objects.requireNonNull(transportKey, "transportKey");
    Objects.requireNonNull(genesisToken, "genesisToken");
    Objects.requireNonNull(genesisKey, "genesisKey");
    Objects.requireNonNull(wrappedTransportKey, "wrappedTransportKey");
    Objects.requireNonNull(transportOaep, "transportOaep");
    keys = List.copyOf(Objects.requireNonNull(keys, "keys"));
    Objects.requireNonNull(signature, "signature");
  }

  public byte[] signedBytes() {
    return Json.canonical(withSignature(""));
  }

  WrappedKeys withSignature(String sig) {
    return new WrappedKeys(schema, fleetId, epoch, memberId, members, transportKey, genesisToken, genesisKey,
        wrappedTransportKey, transportOaep, keys, sig);
  }

  /**
   * Checks schema and that the genesis identity key {@code expectedGenesisKey} (hex point, from
   * the genesis member's descriptor) signed this.
   */
  public WrappedKeys verified(String expectedGenesisKey) throws MalformedEvidenceException {
    if (!SCHEMA.equals(schema)) {
      throw new MalformedEvidenceException("wrapped keys have schema '" + schema + "'; expected '"
          + SCHEMA + "'");
    }
    if (!genesisKey.equalsIgnoreCase(expectedGenesisKey)) {
      throw new MalformedEvidenceException("wrapped keys for " + memberId + " were made by genesis key "
          + Sha256.hex(HexFormat.of().parseHex(genesisKey)) + ", not by the expected genesis");
    }
    boolean ok;
    try {
      ok = EcdsaP256.verify(HexFormat.of().parseHex(genesisKey), signedBytes(),
          Base64.getDecoder().decode(signature));
    } catch (IllegalArgumentException e) {
      ok = false;
    }
    if (!ok) {
      throw new MalformedEvidenceException("wrapped keys for " + memberId
          + ": the genesis signature does not verify (file altered or forged)");
    }
    return this;
  }

  public static WrappedKeys read(Path file) throws IOException, MalformedEvidenceException {
    return Json.parse(Files.readAllBytes(file), WrappedKeys.class, "wrapped keys " + file);
  }

  public void write(Path file) throws IOException {
    Files.write(file, Json.pretty(this));
  }
}
