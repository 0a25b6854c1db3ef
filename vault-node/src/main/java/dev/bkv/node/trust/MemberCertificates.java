package dev.bkv.node.trust;

import java.io.IOException;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;

/**
 * A member's Raft TLS certificate: subject {@code CN=<member id>}, a URI subject alternative
 * name {@code bkv-member:<member id>}, client and server authentication, signed directly by the
 * member's identity key ({@code member/identity} on its token, recorded in the deployment
 * evidence). There is no CA: a certificate is trusted only because its signature verifies under
 * the identity key the member roster pins for that id.
 */
public final class MemberCertificates {
  /** Prefix of the URI subject alternative name that names the member. */
  public static final String URI_PREFIX = "bkv-member:";

  private MemberCertificates() {}

  /**
   * Issues a certificate for {@code tlsKey}, signed by {@code identitySigner} (an ECDSA P-256
   * SHA-256 signer holding the member's identity key).
   */
  public static X509Certificate issue(String memberId, PublicKey tlsKey,
      ContentSigner identitySigner, Instant notBefore, Instant notAfter, BigInteger serial)
      throws GeneralSecurityException {
    MemberId.check(memberId);
    if (!notAfter.isAfter(notBefore)) {
      throw new IllegalArgumentException("certificate validity " + notBefore + " .. "
          + notAfter + " is empty");
    }
    X500Name subject = new X500Name(new RDN[] {new RDN(BCStyle.CN,
        new DERUTF8String(memberId))});
    X500Name issuer = new X500Name(new RDN[] {new RDN(BCStyle.CN,
        new DERUTF8String("bkv member identity " + memberId))});
    JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial,
        Date.from(notBefore), Date.from(notAfter), subject, tlsKey);
    try {
      b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(
          new GeneralName(GeneralName.uniformResourceIdentifier, URI_PREFIX + memberId)));
      b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
      b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
    } catch (CertIOException e) {
      throw new GeneralSecurityException("cannot encode certificate extensions: "
          + e.getMessage(), e);
    }
    return new JcaX509CertificateConverter().getCertificate(b.build(identitySigner));
  }

  /**
   * The member id a certificate names: its subject CN, which must equal its {@code
   * bkv-member:} URI name.
   */
  public static String memberId(X509Certificate cert) throws CertificateException {
    String cn = commonName(cert.getSubjectX500Principal());
    String uri = null;
    Collection<List<?>> sans;
    try {
      sans = cert.getSubjectAlternativeNames();
    } catch (CertificateParsingException e) {
      throw new CertificateException("certificate " + cert.getSubjectX500Principal()
          + " has unreadable subject alternative names", e);
    }
    if (sans != null) {
      for (List<?> san : sans) {
        if (((Integer) san.get(0)) == GeneralName.uniformResourceIdentifier
            && san.get(1) instanceof String s && s.startsWith(URI_PREFIX)) {
          uri = s.substring(URI_PREFIX.length());
        }
      }
    }
    if (cn == null || !cn.equals(uri)) {
      throw new CertificateException("certificate " + cert.getSubjectX500Principal()
          + " names member '" + cn + "' in its CN and '" + uri + "' in its " + URI_PREFIX
          + " URI; expected one member id in both");
    }
    return cn;
  }

  /**
   * Checks that {@code cert} names {@code memberId}, is signed by {@code identityKey} and is
   * valid at {@code now}.
   */
  public static void check(X509Certificate cert, String memberId, IdentityKey identityKey,
      Instant now) throws CertificateException {
    String named = memberId(cert);
    if (!named.equals(memberId)) {
      throw new CertificateException("certificate names member '" + named + "'; expected '"
          + memberId + "'");
    }
    try {
      cert.verify(identityKey.key());
    } catch (GeneralSecurityException e) {
      throw new CertificateException("certificate of member '" + memberId
          + "' is not signed by that member's identity key " + identityKey.hex(), e);
    }
    Date d = Date.from(now);
    if (d.before(cert.getNotBefore()) || d.after(cert.getNotAfter())) {
      throw new CertificateException("certificate of member '" + memberId + "' is valid "
          + cert.getNotBefore().toInstant() + " .. " + cert.getNotAfter().toInstant()
          + "; now is " + now);
    }
  }

  /** Parses one PEM certificate; {@code what} names it in the error. */
  public static X509Certificate fromPem(String pem, String what) throws CertificateException {
    try {
      return Pem.certificate(pem, what);
    } catch (IOException e) {
      throw new CertificateException(e.getMessage(), e);
    }
  }

  private static String commonName(X500Principal p) {
    RDN[] cns = X500Name.getInstance(p.getEncoded()).getRDNs(BCStyle.CN);
    return cns.length == 1 ? IETFUtils.valueToString(cns[0].getFirst().getValue()) : null;
  }
}
