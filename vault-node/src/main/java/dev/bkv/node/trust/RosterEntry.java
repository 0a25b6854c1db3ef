package dev.bkv.node.trust;

import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * One member in the roster: its id, its identity key (from the deployment evidence) and its
 * Raft TLS certificate, which must name the id and be signed by the identity key.
 *
 * @param memberId the member id, as in {@code node.peers}
 * @param identityKey the member's {@code member/identity} public key
 * @param certificate the member's Raft TLS certificate
 */
public record RosterEntry(String memberId, IdentityKey identityKey,
    X509Certificate certificate) {
  public RosterEntry {
    MemberId.check(memberId);
    Objects.requireNonNull(identityKey, "identityKey");
    Objects.requireNonNull(certificate, "certificate");
    try {
      String named = MemberCertificates.memberId(certificate);
      if (!named.equals(memberId)) {
        throw new IllegalArgumentException("roster entry '" + memberId
            + "' has a certificate for member '" + named + "'");
      }
      certificate.verify(identityKey.key());
    } catch (CertificateException e) {
      throw new IllegalArgumentException("roster entry '" + memberId + "': " + e.getMessage(),
          e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("roster entry '" + memberId + "': its certificate is "
          + "not signed by its identity key " + identityKey.hex(), e);
    }
  }
}
