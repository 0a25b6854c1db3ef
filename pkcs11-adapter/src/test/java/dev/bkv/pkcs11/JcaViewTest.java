package dev.bkv.pkcs11;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.Date;
import java.util.Collections;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SunPKCS11 view of the same token, sharing the module with the IAIK binding. */
class JcaViewTest {
  static Pkcs11Token token;

  @BeforeAll
  static void open() throws Exception {
    token = Pkcs11Token.open(SoftHsmTokens.create("jca"));
  }

  @AfterAll
  static void close() {
    token.close();
  }

  @Test
  void sunPkcs11SignsWithAnAdapterKeyAndSunEcVerifies() throws Exception {
    EcPrivateKey key = token.keys().generateEcP256(KeySpec.of("jca/identity", KeyUsage.SIGN));
    ECPublicKey pub = SoftEc.publicKey(key.publicKey().point());
    token.keys().importCertificate("jca/identity", key.id(), selfSigned(pub));

    Provider p = token.jcaProvider();
    assertSame(p, token.jcaProvider(), "one provider per token");
    KeyStore ks = KeyStore.getInstance("PKCS11", p);
    ks.load(null, null);
    assertTrue(Collections.list(ks.aliases()).contains("jca/identity"), "aliases: " + Collections.list(ks.aliases()));
    PrivateKey hsmKey = (PrivateKey) ks.getKey("jca/identity", null);
    assertEquals("EC", hsmKey.getAlgorithm());

    byte[] msg = "signed through SunPKCS11".getBytes();
    Signature signer = Signature.getInstance("SHA256withECDSA", p);
    signer.initSign(hsmKey);
    signer.update(msg);
    byte[] der = signer.sign();

    Signature verifier = Signature.getInstance("SHA256withECDSA", "SunEC");
    verifier.initVerify(pub);
    verifier.update(msg);
    assertTrue(verifier.verify(der));

    // both bindings keep working side by side
    assertTrue(SoftEc.verifyRaw(key.publicKey().point(), msg, key.signEcdsa(msg)));
    signer.initSign(hsmKey);
    signer.update(msg);
    verifier.initVerify(pub);
    verifier.update(msg);
    assertTrue(verifier.verify(signer.sign()));
  }

  static byte[] selfSigned(ECPublicKey subjectKey) throws Exception {
    KeyPair issuer = SoftEc.generate();
    X500Name name = new X500Name("CN=bkv test identity");
    long now = System.currentTimeMillis();
    var builder = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now), new Date(now - 60_000),
        new Date(now + 86_400_000L), name, subjectKey);
    var signer = new JcaContentSignerBuilder("SHA256withECDSA").build(issuer.getPrivate());
    return builder.build(signer).getEncoded();
  }
}
