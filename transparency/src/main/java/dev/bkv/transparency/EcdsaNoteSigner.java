package dev.bkv.transparency;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.transparency.internal.NoteSyntax;
import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;

/**
 * A software ECDSA P-256 note signer (signature type 0x02), deterministic per RFC 6979. Used in
 * tests and tools; production ECDSA keys live in HSMs behind their own {@link NoteSigner}, which
 * can use {@link #derSignature(byte[])} to encode the token's raw {@code r || s} output.
 */
public final class EcdsaNoteSigner implements NoteSigner {

  private final ECPrivateKeyParameters key;
  private final VerifierKey verifierKey;

  private EcdsaNoteSigner(String name, ECPrivateKeyParameters key, ECPublicKeyParameters pub)
      throws MalformedInputException {
    this.key = key;
    this.verifierKey = VerifierKey.ecdsa(name, EcdsaP256.spki(pub.getQ()));
  }

  public static EcdsaNoteSigner generate(String name, SecureRandom random)
      throws MalformedInputException {
    ECKeyPairGenerator gen = new ECKeyPairGenerator();
    gen.init(new ECKeyGenerationParameters(EcdsaP256.DOMAIN, random));
    AsymmetricCipherKeyPair pair = gen.generateKeyPair();
    return new EcdsaNoteSigner(name, (ECPrivateKeyParameters) pair.getPrivate(),
        (ECPublicKeyParameters) pair.getPublic());
  }

  /** Converts a PKCS#11 CKM_ECDSA signature ({@code r || s}, 64 bytes) to the note's DER form. */
  public static byte[] derSignature(byte[] rawRs) throws MalformedInputException {
    try {
      return EcdsaP256.derFromRaw(rawRs);
    } catch (IllegalArgumentException e) {
      throw new MalformedInputException(MalformedInputException.Problem.BAD_KEY, e.getMessage(), e);
    }
  }

  @Override
  public VerifierKey verifierKey() {
    return verifierKey;
  }

  @Override
  public byte[] sign(byte[] message) throws TransparencyFaultException {
    ECDSASigner s = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
    s.init(true, key);
    try {
      BigInteger[] rs = s.generateSignature(Sha256.hash(message));
      return EcdsaP256.der(rs[0], rs[1]);
    } catch (IllegalArgumentException e) {
      throw new TransparencyFaultException("ECDSA signing failed for " + name(), e);
    }
  }

  @Override
  public String toString() {
    return "EcdsaNoteSigner[" + name() + "+" + NoteSyntax.keyIdHex(keyId()) + "]";
  }
}
