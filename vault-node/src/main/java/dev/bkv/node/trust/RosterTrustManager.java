package dev.bkv.node.trust;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trusts exactly the fleet's members on the Raft transport, on both ends of a connection. A
 * peer's certificate is accepted only if it names a member id in the {@link MemberRoster}, is
 * the certificate the roster pins for that id, verifies under that member's identity key, and
 * is within its validity dates. Anything else (a certificate from a CA, self-signed, for an
 * unknown id, signed by another identity key, expired) is refused with a {@link
 * CertificateException} that names the reason. Host names play no part: the member id is the
 * identity.
 */
public final class RosterTrustManager extends X509ExtendedTrustManager {
  private static final Logger LOG = LoggerFactory.getLogger(RosterTrustManager.class);
  private final MemberRoster roster;
  private final Clock clock;

  public RosterTrustManager(MemberRoster roster, Clock clock) {
    this.roster = roster;
    this.clock = clock;
  }

  /** Checks a peer's certificate chain; returns the member id it authenticates. */
  public String check(X509Certificate[] chain) throws CertificateException {
    try {
      return checkChain(chain);
    } catch (CertificateException e) {
      // TLS reports only a generic alert to the peer; the member's log says why.
      LOG.warn("refused a Raft peer certificate: {}", e.getMessage());
      throw e;
    }
  }

  private String checkChain(X509Certificate[] chain) throws CertificateException {
    if (chain == null || chain.length == 0) {
      throw new CertificateException("the peer presented no certificate; a fleet member "
          + "certificate is required");
    }
    X509Certificate cert = chain[0];
    String id = MemberCertificates.memberId(cert);
    RosterEntry entry = roster.entry(id).orElseThrow(() -> new CertificateException(
        "certificate names member '" + id + "', which is not in the member roster "
            + roster.ids()));
    MemberCertificates.check(cert, id, entry.identityKey(), clock.instant());
    if (!cert.equals(entry.certificate())) {
      throw new CertificateException("certificate of member '" + id + "' (serial "
          + cert.getSerialNumber().toString(16) + ") is not the one the member roster pins "
          + "(serial " + entry.certificate().getSerialNumber().toString(16) + ")");
    }
    return id;
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
      throws CertificateException {
    check(chain);
  }

  /** No issuers: members' certificates are pinned, not issued by a CA. */
  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return new X509Certificate[0];
  }
}
