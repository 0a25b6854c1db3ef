package dev.bkv.seal;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.hash.Hkdf;
import dev.bkv.recovery.SecretBytes;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * A record's reset key (DESIGN §10): a P-256 key pair the client derives from its OPAQUE {@code
 * export_key}, so only someone who knows the password has it. Its public half is stored with the
 * record at registration; after a successful login the client signs (user, attempt index) with
 * it, and only that signature lets the replicated state machine give the record its attempts
 * back. A member cannot forge it, so no member alone can reset a counter. Each registration gives
 * a new {@code export_key}, so a reset key, and its signatures, belong to one record version.
 *
 * <p>Derivation: {@code d = HKDF-Expand(HKDF-Extract("", export_key), "bkv reset key v1", 48)}
 * as a big-endian integer, mod (n−1), plus 1. Signatures: deterministic ECDSA-SHA256 (RFC 6979),
 * DER, over {@link #message}.
 */
public final class ResetKey {
  private static final byte[] INFO = "bkv reset key v1".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DOMAIN = "bkv reset v1\0".getBytes(StandardCharsets.US_ASCII);
  /** An uncompressed P-256 point. */
  public static final int PUBLIC_KEY_LENGTH = 65;
  private final BigInteger d;
  private final byte[] publicKey;

  private ResetKey(BigInteger d) {
    this.d = d;
    this.publicKey = EcdsaP256.DOMAIN.getG().multiply(d).normalize().getEncoded(false);
  }

  /** The reset key of the record whose login or registration gave {@code exportKey}. */
  public static ResetKey fromExportKey(SecretBytes exportKey) {
    byte[] ikm = exportKey.copy();
    byte[] prk = Hkdf.extract(new byte[0], ikm);
    byte[] okm = Hkdf.expand(prk, INFO, 48);
    BigInteger n = EcdsaP256.DOMAIN.getN();
    BigInteger d = new BigInteger(1, okm).mod(n.subtract(BigInteger.ONE)).add(BigInteger.ONE);
    Arrays.fill(ikm, (byte) 0);
    Arrays.fill(prk, (byte) 0);
    Arrays.fill(okm, (byte) 0);
    return new ResetKey(d);
  }

  /** The public key to store with the record: 65 bytes, uncompressed. */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** Signs the reset of {@code user}'s record after the attempt at {@code attemptIndex}. */
  public byte[] sign(byte[] user, long attemptIndex) {
    ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    signer.init(true, new ECPrivateKeyParameters(d, EcdsaP256.DOMAIN));
    BigInteger[] rs = signer.generateSignature(Sha256.hash(message(user, attemptIndex)));
    return EcdsaP256.der(rs[0], rs[1]);
  }

  /** Whether {@code signature} is the reset key's signature of these values. */
  public static boolean verify(byte[] publicKey, byte[] user, long attemptIndex,
      byte[] signature) {
    return EcdsaP256.verify(publicKey, message(user, attemptIndex), signature);
  }

  /** What is signed: a domain tag, the user id (u32 length, bytes), the attempt index (u64). */
  public static byte[] message(byte[] user, long attemptIndex) {
    return ByteBuffer.allocate(DOMAIN.length + 4 + user.length + 8).put(DOMAIN)
        .putInt(user.length).put(user).putLong(attemptIndex).array();
  }

  @Override
  public String toString() {
    return "ResetKey[public " + java.util.HexFormat.of().formatHex(publicKey, 0, 9) + "…]";
  }
}
