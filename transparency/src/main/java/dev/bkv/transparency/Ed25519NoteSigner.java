package dev.bkv.transparency;

import static dev.bkv.transparency.MalformedInputException.Problem.BAD_KEY;

import dev.bkv.transparency.internal.NoteSyntax;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A software Ed25519 note signer (a "file key"). Its private key never appears in
 * {@link #toString()}; {@link #toSignerKey()} is the only way out and is meant for writing the
 * key file.
 *
 * <p>The signer key text is Go's sumdb/note form
 * {@code PRIVATE+KEY+<name>+<hex key ID>+base64(0x01 || 32-byte seed)}.
 */
public final class Ed25519NoteSigner implements NoteSigner {

  private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

  private final String name;
  private final Ed25519PrivateKeyParameters key;
  private final VerifierKey verifierKey;

  private Ed25519NoteSigner(String name, Ed25519PrivateKeyParameters key)
      throws MalformedInputException {
    this.name = name;
    this.key = key;
    this.verifierKey = VerifierKey.ed25519(name, key.generatePublicKey().getEncoded());
  }

  /** A fresh key from {@code random}. */
  public static Ed25519NoteSigner generate(String name, SecureRandom random)
      throws MalformedInputException {
    return new Ed25519NoteSigner(name, new Ed25519PrivateKeyParameters(random));
  }

  /** The key for a 32-byte RFC 8032 seed (private key). */
  public static Ed25519NoteSigner fromSeed(String name, byte[] seed) throws MalformedInputException {
    if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new MalformedInputException(BAD_KEY, "Ed25519 seed is " + seed.length + " bytes; expected 32");
    }
    return new Ed25519NoteSigner(name, new Ed25519PrivateKeyParameters(seed, 0));
  }

  /** Reads a signer key text; its key ID must match the key's public half. */
  public static Ed25519NoteSigner fromSignerKey(CharSequence skey) throws MalformedInputException {
    String s = skey.toString();
    String[] parts = s.startsWith(PRIVATE_PREFIX)
        ? s.substring(PRIVATE_PREFIX.length()).split("\\+", 3) : new String[0];
    byte[] material = parts.length == 3 ? NoteSyntax.decodeBase64(parts[2]) : null;
    if (material == null || material.length != 33 || material[0] != SignatureType.ED25519.id()
        || !parts[1].matches("[0-9a-fA-F]{8}")) {
      throw new MalformedInputException(BAD_KEY,
          "signer key is not of the form PRIVATE+KEY+name+keyid+base64(0x01 || 32-byte seed)");
    }
    try {
      Ed25519NoteSigner signer = fromSeed(parts[0], Arrays.copyOfRange(material, 1, 33));
      if (signer.keyId() != (int) Long.parseLong(parts[1], 16)) {
        throw new MalformedInputException(BAD_KEY, "signer key for " + parts[0] + " claims key ID "
            + parts[1] + " but its public key hashes to " + NoteSyntax.keyIdHex(signer.keyId()));
      }
      return signer;
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /** The secret signer key text; the caller must wipe the array after storing it. */
  public char[] toSignerKey() {
    return NoteSyntax.secretKeyText(name, keyId(), SignatureType.ED25519.id(), key::encode);
  }

  @Override
  public VerifierKey verifierKey() {
    return verifierKey;
  }

  @Override
  public byte[] sign(byte[] message) {
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, key);
    s.update(message, 0, message.length);
    return s.generateSignature();
  }

  @Override
  public String toString() {
    return "Ed25519NoteSigner[" + name + "+" + NoteSyntax.keyIdHex(keyId()) + "]";
  }
}
