package dev.bkv.node.trust;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.bouncycastle.operator.ContentSigner;

/**
 * Makes a member's Raft credential: a fresh P-256 TLS key and a certificate for it signed by
 * the member's identity key, written as {@code <dir>/<id>-raft.pem} and {@code
 * <dir>/<id>-raft-key.pem} (PKCS#8, mode 0600).
 */
public final class MemberCredentialFiles {
  /** Certificates start this long before they are made, for clocks that lag a little. */
  static final Duration BACKDATE = Duration.ofMinutes(5);

  private MemberCredentialFiles() {}

  public static Path certFile(Path dir, String memberId) {
    return dir.resolve(memberId + "-raft.pem");
  }

  public static Path keyFile(Path dir, String memberId) {
    return dir.resolve(memberId + "-raft-key.pem");
  }

  /**
   * Generates the TLS key, has {@code identitySigner} certify it for {@code validFor}, writes
   * both files and returns the certificate.
   */
  public static X509Certificate issue(Path dir, String memberId, ContentSigner identitySigner,
      Duration validFor, SecureRandom rng, Clock clock)
      throws IOException, GeneralSecurityException {
    MemberId.check(memberId);
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), rng);
    KeyPair tls = g.generateKeyPair();
    Instant now = clock.instant();
    X509Certificate cert = MemberCertificates.issue(memberId, tls.getPublic(), identitySigner,
        now.minus(BACKDATE), now.plus(validFor), new BigInteger(64, rng).add(BigInteger.ONE));
    Files.createDirectories(dir);
    Pem.write(keyFile(dir, memberId), Pem.toPem(tls.getPrivate()), true);
    Pem.write(certFile(dir, memberId), Pem.toPem(cert), false);
    return cert;
  }
}
