package dev.bkv.cli.node;

import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * A BouncyCastle {@link ContentSigner} whose ECDSA P-256/SHA-256 signature comes from an HSM
 * key: the token returns raw {@code r || s}, which is DER-encoded here as X.509 requires. An
 * HSM failure surfaces as {@link IllegalStateException} carrying the {@link HsmException}.
 */
final class HsmIdentitySigner implements ContentSigner {
  private final EcPrivateKey key;
  private final ByteArrayOutputStream data = new ByteArrayOutputStream();

  HsmIdentitySigner(EcPrivateKey key) {
    this.key = key;
  }

  @Override
  public AlgorithmIdentifier getAlgorithmIdentifier() {
    return new DefaultSignatureAlgorithmIdentifierFinder().find("SHA256withECDSA");
  }

  @Override
  public OutputStream getOutputStream() {
    return data;
  }

  @Override
  public byte[] getSignature() {
    byte[] raw;
    try {
      raw = key.signEcdsa(data.toByteArray());
    } catch (HsmException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    try {
      return new DERSequence(new ASN1Integer[] {
          new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 0, 32))),
          new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(raw, 32, 64)))}).getEncoded();
    } catch (IOException e) {
      throw new IllegalStateException("cannot DER-encode an ECDSA signature", e);
    }
  }
}
