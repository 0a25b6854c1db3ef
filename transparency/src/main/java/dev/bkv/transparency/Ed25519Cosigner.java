package dev.bkv.transparency;

import static dev.bkv.transparency.MalformedInputException.Problem.BAD_KEY;

import dev.bkv.transparency.internal.CosignatureV1;
import dev.bkv.transparency.internal.NoteSyntax;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * A witness's software Ed25519 key making C2SP tlog-cosignature cosignature/v1 signatures (type
 * 0x04). {@link #sign(byte[])} takes a checkpoint body and returns {@code timestamp || Ed25519
 * signature}, the timestamp being the clock's current second; {@link SignedNotes#addSignatures}
 * puts the line on the checkpoint. Sign only checkpoints that were checked to extend the last
 * one cosigned for their log ({@link Witness} does).
 *
 * <p>The signer key text is {@code PRIVATE+KEY+<name>+<hex key ID>+base64(0x04 || 32-byte
 * seed)}, with the type 0x04 key ID, so it cannot be mistaken for a note signing key. The private
 * key never appears in {@link #toString()}.
 */
public final class Ed25519Cosigner implements NoteSigner {

  private static final String PRIVATE_PREFIX = "PRIVATE+KEY+";

  private final String name;
  private final Ed25519PrivateKeyParameters key;
  private final VerifierKey verifierKey;
  private final Clock clock;

  private Ed25519Cosigner(String name, Ed25519PrivateKeyParameters key, Clock clock)
      throws MalformedInputException {
    this.name = name;
    this.key = key;
    this.verifierKey = VerifierKey.cosignatureV1(name, key.generatePublicKey().getEncoded());
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** A fresh key from {@code random}, timestamping with {@code clock}. */
  public static Ed25519Cosigner generate(String name, SecureRandom random, Clock clock)
      throws MalformedInputException {
    return new Ed25519Cosigner(name, new Ed25519PrivateKeyParameters(random), clock);
  }

  /** The key for a 32-byte RFC 8032 seed. */
  public static Ed25519Cosigner fromSeed(String name, byte[] seed, Clock clock)
      throws MalformedInputException {
    if (seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
      throw new MalformedInputException(BAD_KEY, "Ed25519 seed is " + seed.length
          + " bytes; expected 32");
    }
    return new Ed25519Cosigner(name, new Ed25519PrivateKeyParameters(seed, 0), clock);
  }

  /** Reads a cosigner key text; its key ID must be the type 0x04 ID of the key's public half. */
  public static Ed25519Cosigner fromSignerKey(CharSequence skey, Clock clock)
      throws MalformedInputException {
    String s = skey.toString();
    String[] parts = s.startsWith(PRIVATE_PREFIX)
        ? s.substring(PRIVATE_PREFIX.length()).split("\\+", 3) : new String[0];
    byte[] material = parts.length == 3 ? NoteSyntax.decodeBase64(parts[2]) : null;
    if (material == null || material.length != 33
        || material[0] != SignatureType.COSIGNATURE_V1.id()
        || !parts[1].matches("[0-9a-fA-F]{8}")) {
      throw new MalformedInputException(BAD_KEY, "cosigner key is not of the form "
          + "PRIVATE+KEY+name+keyid+base64(0x04 || 32-byte seed)");
    }
    try {
      Ed25519Cosigner c = fromSeed(parts[0], Arrays.copyOfRange(material, 1, 33), clock);
      if (c.keyId() != (int) Long.parseLong(parts[1], 16)) {
        throw new MalformedInputException(BAD_KEY, "cosigner key for " + parts[0]
            + " claims key ID " + parts[1] + " but its public key hashes to "
            + NoteSyntax.keyIdHex(c.keyId()));
      }
      return c;
    } finally {
      Arrays.fill(material, (byte) 0);
    }
  }

  /** The secret key text; the caller must wipe the array after storing it. */
  public char[] toSignerKey() {
    return NoteSyntax.secretKeyText(name, keyId(), SignatureType.COSIGNATURE_V1.id(), key::encode);
  }

  @Override
  public VerifierKey verifierKey() {
    return verifierKey;
  }

  /**
   * Cosigns a checkpoint body: the 8-byte big-endian timestamp (seconds since the Epoch, from the
   * clock) followed by the Ed25519 signature over the cosignature/v1 message.
   */
  @Override
  public byte[] sign(byte[] checkpointBody) throws MalformedInputException {
    long now = clock.instant().getEpochSecond();
    if (now < 0) {
      throw new MalformedInputException(BAD_KEY, "the clock says " + clock.instant()
          + ", before 1970; a cosignature timestamp cannot be negative");
    }
    byte[] message = CosignatureV1.signedMessage(now, checkpointBody);
    Ed25519Signer s = new Ed25519Signer();
    s.init(true, key);
    s.update(message, 0, message.length);
    return CosignatureV1.timestamped(now, s.generateSignature());
  }

  @Override
  public String toString() {
    return "Ed25519Cosigner[" + name + "+" + NoteSyntax.keyIdHex(keyId()) + "]";
  }
}
