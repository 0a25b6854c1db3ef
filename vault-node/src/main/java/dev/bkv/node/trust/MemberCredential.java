package dev.bkv.node.trust;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * A member's Raft credential: its TLS private key ({@code node.raft.tls.key}, PKCS#8 PEM) and
 * the certificate for it signed by the member's identity key ({@code node.raft.tls.cert}).
 * The key authenticates the member on the Raft transport and signs the commands it submits.
 * A secret: no {@code toString}, {@code equals} or accessor for the key.
 */
public final class MemberCredential {
  private static final Provider ECDSA_PROVIDER = new BouncyCastleProvider();
  private final String memberId;
  private final PrivateKey key;
  private final X509Certificate certificate;

  private MemberCredential(String memberId, PrivateKey key, X509Certificate certificate) {
    this.memberId = memberId;
    this.key = key;
    this.certificate = certificate;
  }

  /** A credential from a key and its certificate; the key must match the certificate. */
  public static MemberCredential of(PrivateKey key, X509Certificate certificate)
      throws RosterException {
    String id;
    try {
      id = MemberCertificates.memberId(certificate);
    } catch (CertificateException e) {
      throw new RosterException("Raft certificate: " + e.getMessage(), e);
    }
    MemberCredential c = new MemberCredential(id, key, certificate);
    try {
      byte[] probe = "bkv raft credential key check".getBytes(StandardCharsets.US_ASCII);
      if (!verify(certificate.getPublicKey(), probe, c.sign(probe))) {
        throw new RosterException("the Raft TLS key of member '" + id
            + "' does not match its certificate");
      }
    } catch (GeneralSecurityException e) {
      throw new RosterException("the Raft TLS key of member '" + id + "' is not a usable "
          + "P-256 key for its certificate: " + e.getMessage(), e);
    }
    return c;
  }

  /** Reads {@code certFile} (PEM certificate) and {@code keyFile} (PEM PKCS#8 key). */
  public static MemberCredential load(Path certFile, Path keyFile) throws RosterException {
    try {
      X509Certificate cert = Pem.certificate(Files.readString(certFile), "node.raft.tls.cert "
          + certFile);
      PrivateKey key = Pem.privateKey(Files.readString(keyFile), "node.raft.tls.key "
          + keyFile);
      return of(key, cert);
    } catch (IOException e) {
      throw new RosterException("cannot read the Raft credential: " + e.getMessage(), e);
    }
  }

  public String memberId() {
    return memberId;
  }

  public X509Certificate certificate() {
    return certificate;
  }

  /**
   * ECDSA P-256 / SHA-256 over {@code message}, DER-encoded. BouncyCastle's implementation: on
   * JDK 17 it signs about twice and verifies about four times as fast as the JDK's, and every
   * Raft command is signed once and verified once.
   */
  public byte[] sign(byte[] message) throws GeneralSecurityException {
    Signature s = Signature.getInstance("SHA256withECDSA", ECDSA_PROVIDER);
    s.initSign(key);
    s.update(message);
    return s.sign();
  }

  /** Whether {@code signature} (DER) is a valid ECDSA P-256 / SHA-256 signature by {@code key}. */
  public static boolean verify(PublicKey key, byte[] message, byte[] signature)
      throws GeneralSecurityException {
    Signature v = Signature.getInstance("SHA256withECDSA", ECDSA_PROVIDER);
    v.initVerify(key);
    v.update(message);
    return v.verify(signature);
  }

  /** A key manager that presents this credential on both sides of a TLS connection. */
  public X509ExtendedKeyManager keyManager() {
    return new SingleKeyManager(memberId, key, certificate);
  }
}
