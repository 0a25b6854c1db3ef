package dev.bkv.transparency;

import static dev.bkv.transparency.MalformedInputException.Problem.BAD_KEY;
import static dev.bkv.transparency.MalformedInputException.Problem.BAD_KEY_NAME;

import dev.bkv.transparency.internal.CosignatureV1;
import dev.bkv.transparency.internal.EcdsaKeys;
import dev.bkv.transparency.internal.EcdsaVerifier;
import dev.bkv.transparency.internal.Ed25519Verifier;
import dev.bkv.transparency.internal.KeyIds;
import dev.bkv.transparency.internal.NoteSyntax;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A verifier key string {@code <name>+<hex key ID>+<base64(type || public key)>}, the form Go's
 * sumdb/note {@code NewVerifier} and transparency-dev's ECDSA verifier read. The key ID must be
 * the one computed from name, type and key, so a pasted key cannot claim another key's ID.
 *
 * @param name the key name
 * @param keyId the 32-bit key ID
 * @param type the signature type
 * @param publicKey the key material after the type byte (32 bytes Ed25519; DER SPKI for ECDSA)
 */
public record VerifierKey(String name, int keyId, SignatureType type, byte[] publicKey) {

  public VerifierKey {
    if (!NoteSyntax.isValidKeyName(name)) {
      throw new IllegalArgumentException("invalid key name " + name);
    }
    publicKey = publicKey.clone();
  }

  /**
   * The verifier key of an Ed25519 public key (32 bytes, RFC 8032 encoding of a curve point);
   * other bytes are refused here, not when a signature is checked.
   */
  public static VerifierKey ed25519(String name, byte[] publicKey) throws MalformedInputException {
    checkName(name);
    if (publicKey.length != 32) {
      throw new MalformedInputException(BAD_KEY,
          "Ed25519 public key is " + publicKey.length + " bytes; expected 32");
    }
    if (!Ed25519Verifier.isValidKey(publicKey)) {
      throw new MalformedInputException(BAD_KEY, "Ed25519 public key "
          + HexFormat.of().formatHex(publicKey) + " is not a valid curve point; expected the "
          + "RFC 8032 encoding of one");
    }
    return new VerifierKey(name, KeyIds.ed25519(name, publicKey), SignatureType.ED25519,
        publicKey);
  }

  /**
   * The verifier key of a witness's Ed25519 cosignature/v1 key (type 0x04, C2SP
   * tlog-cosignature): the same 32-byte key encoding as {@link #ed25519}, another key ID.
   */
  public static VerifierKey cosignatureV1(String name, byte[] publicKey)
      throws MalformedInputException {
    VerifierKey plain = ed25519(name, publicKey);
    return new VerifierKey(name, KeyIds.cosignatureV1(name, publicKey),
        SignatureType.COSIGNATURE_V1, plain.publicKey);
  }

  /** The verifier key of a P-256 public key given as DER SubjectPublicKeyInfo. */
  public static VerifierKey ecdsa(String name, byte[] spki) throws MalformedInputException {
    checkName(name);
    EcdsaKeys.parseSpki(spki);
    return new VerifierKey(name, KeyIds.ecdsa(spki), SignatureType.ECDSA, spki);
  }

  /** Parses and checks a verifier key string. */
  public static VerifierKey parse(String vkey) throws MalformedInputException {
    int p1 = vkey.indexOf('+');
    int p2 = p1 < 0 ? -1 : vkey.indexOf('+', p1 + 1);
    if (p2 < 0) {
      throw new MalformedInputException(BAD_KEY, "verifier key " + NoteSyntax.quote(vkey)
          + " does not have the form name+keyid+base64key");
    }
    String name = vkey.substring(0, p1);
    String hex = vkey.substring(p1 + 1, p2);
    checkName(name);
    if (!hex.matches("[0-9a-fA-F]{8}")) {
      throw new MalformedInputException(BAD_KEY, "verifier key for " + name + " has key ID "
          + NoteSyntax.quote(hex) + "; expected 8 hex digits");
    }
    int claimed = (int) Long.parseLong(hex, 16);
    byte[] material = NoteSyntax.decodeBase64(vkey.substring(p2 + 1));
    if (material == null || material.length < 2) {
      throw new MalformedInputException(BAD_KEY, "verifier key for " + name
          + " has invalid base64 key material");
    }
    SignatureType type = SignatureType.fromId(material[0]);
    if (type == null) {
      throw new MalformedInputException(BAD_KEY, String.format(
          "verifier key for %s has signature type 0x%02x; bkv knows 0x01 (Ed25519), 0x02 "
              + "(ECDSA) and 0x04 (Ed25519 cosignature/v1)", name, material[0]));
    }
    byte[] key = Arrays.copyOfRange(material, 1, material.length);
    VerifierKey parsed = switch (type) {
      case ED25519 -> ed25519(name, key);
      case ECDSA -> ecdsa(name, key);
      case COSIGNATURE_V1 -> cosignatureV1(name, key);
    };
    if (parsed.keyId != claimed) {
      throw new MalformedInputException(BAD_KEY, "verifier key for " + name + " claims key ID " + hex
          + " but its key hashes to " + NoteSyntax.keyIdHex(parsed.keyId));
    }
    return parsed;
  }

  private static void checkName(String name) throws MalformedInputException {
    if (!NoteSyntax.isValidKeyName(name)) {
      throw new MalformedInputException(BAD_KEY_NAME, "key name " + NoteSyntax.quote(name)
          + " is invalid; expected non-empty, no spaces, no '+'");
    }
  }

  @Override
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** True for a witness's cosignature key (type 0x04), which never verifies a log's signature. */
  public boolean isCosignature() {
    return type == SignatureType.COSIGNATURE_V1;
  }

  /**
   * A verifier for signatures by this key. For a cosignature key (type 0x04) it verifies C2SP
   * cosignature/v1 signatures over a checkpoint body, and nothing else.
   */
  public NoteVerifier verifier() {
    if (type == SignatureType.ED25519) {
      return new Ed25519Verifier(name, keyId, publicKey);
    }
    if (type == SignatureType.COSIGNATURE_V1) {
      return new CosignatureV1(name, keyId, publicKey);
    }
    try {
      return new EcdsaVerifier(name, keyId, EcdsaKeys.parseSpki(publicKey));
    } catch (MalformedInputException e) {
      throw new IllegalStateException("key was validated when this VerifierKey was made", e);
    }
  }

  /** The verifier key string. */
  public String encode() {
    byte[] material = new byte[publicKey.length + 1];
    material[0] = type.id();
    System.arraycopy(publicKey, 0, material, 1, publicKey.length);
    return name + "+" + NoteSyntax.keyIdHex(keyId) + "+"
        + Base64.getEncoder().encodeToString(material);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof VerifierKey k && k.name.equals(name) && k.keyId == keyId
        && k.type == type && Arrays.equals(k.publicKey, publicKey);
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + keyId;
  }

  @Override
  public String toString() {
    return encode() + " (" + type + ", key " + HexFormat.of().formatHex(publicKey, 0, 4) + "…)";
  }
}
