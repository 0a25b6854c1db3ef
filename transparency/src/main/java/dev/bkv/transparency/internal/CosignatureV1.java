package dev.bkv.transparency.internal;

import dev.bkv.transparency.NoteVerifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * C2SP tlog-cosignature, Ed25519 cosignature/v1 (signature type 0x04): the signed message and
 * the verifier. The note signature is {@code timestamp (u64, big-endian) || Ed25519 signature}
 * (72 bytes); the Ed25519 signature covers {@code "cosignature/v1\n"}, {@code "time <decimal
 * timestamp>\n"} and then the checkpoint body, exactly as the note holds it.
 */
public record CosignatureV1(String name, int keyId, Ed25519PublicKeyParameters key)
    implements NoteVerifier {

  /** Length of a cosignature/v1 note signature: 8-byte timestamp and 64-byte signature. */
  public static final int SIGNATURE_LENGTH = 8 + 64;

  private static final String HEADER = "cosignature/v1\n";

  public CosignatureV1(String name, int keyId, byte[] publicKey) {
    this(name, keyId, new Ed25519PublicKeyParameters(publicKey, 0));
  }

  /** The message an Ed25519 cosigner signs for {@code body} at {@code timestamp}. */
  public static byte[] signedMessage(long timestamp, byte[] body) {
    if (timestamp < 0) {
      throw new IllegalArgumentException("cosignature timestamp " + timestamp
          + " is negative; expected 0 .. 2^63-1 seconds since the Epoch");
    }
    byte[] head = (HEADER + "time " + timestamp + "\n").getBytes(StandardCharsets.US_ASCII);
    return ByteBuffer.allocate(head.length + body.length).put(head).put(body).array();
  }

  /** The note signature bytes: timestamp followed by the 64-byte Ed25519 signature. */
  public static byte[] timestamped(long timestamp, byte[] ed25519Signature) {
    return ByteBuffer.allocate(SIGNATURE_LENGTH).putLong(timestamp).put(ed25519Signature).array();
  }

  /** The timestamp of a cosignature/v1 note signature, or -1 when it has the wrong length. */
  public static long timestampOf(byte[] signature) {
    return signature.length == SIGNATURE_LENGTH ? ByteBuffer.wrap(signature).getLong() : -1;
  }

  @Override
  public boolean verify(byte[] message, byte[] signature) {
    long timestamp = timestampOf(signature);
    if (timestamp < 0) {
      return false;
    }
    byte[] signed = signedMessage(timestamp, message);
    Ed25519Signer v = new Ed25519Signer();
    v.init(false, key);
    v.update(signed, 0, signed.length);
    byte[] sig = new byte[64];
    System.arraycopy(signature, 8, sig, 0, 64);
    return v.verifySignature(sig);
  }

  @Override
  public String toString() {
    return "CosignatureV1[" + name + "+" + NoteSyntax.keyIdHex(keyId) + "]";
  }
}
