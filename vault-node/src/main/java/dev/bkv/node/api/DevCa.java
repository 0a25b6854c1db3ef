package dev.bkv.node.api;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A development certificate authority for members' gRPC TLS (the demo and tests make one;
 * production fleets use their own PKI). Writes, in {@code out}: {@code ca.pem} (what clients
 * trust), {@code ca-key.pem}, and per member {@code <id>.pem} + {@code <id>-key.pem} (PKCS#8),
 * with subject alternative names {@code <id>}, {@code localhost}, {@code 127.0.0.1} and any
 * extra host names. Keys are P-256; private key files are mode 600.
 */
public final class DevCa {
  private static final Duration VALIDITY = Duration.ofDays(365);

  private DevCa() {}


  /** Creates the CA and one certificate per member; returns the certificate files written. */
  public static List<Path> create(Path out, List<String> nodeIds, List<String> extraHosts,
      SecureRandom rng) throws IOException, GeneralSecurityException {
    Files.createDirectories(out);
    KeyPair ca = p256(rng);
    X500Name caName = new X500Name("CN=bkv dev CA");
    Instant now = Instant.now();
    JcaX509v3CertificateBuilder cb = new JcaX509v3CertificateBuilder(caName, serial(rng),
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)), caName,
        ca.getPublic());
    cb.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
    cb.addExtension(Extension.keyUsage, true,
        new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
    X509CertificateHolder caCert = sign(cb, ca);
    List<Path> written = new ArrayList<>();
    Path caPem = out.resolve("ca.pem");
    writePem(caPem, caCert, false);
    writePem(out.resolve("ca-key.pem"), new JcaPKCS8Generator(ca.getPrivate(), null), true);
    written.add(caPem);
    for (String id : nodeIds) {
      KeyPair kp = p256(rng);
      JcaX509v3CertificateBuilder nb = new JcaX509v3CertificateBuilder(caName, serial(rng),
          Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(VALIDITY)),
          new X500Name("CN=" + id), kp.getPublic());
      List<GeneralName> names = new ArrayList<>();
      names.add(new GeneralName(GeneralName.dNSName, id));
      names.add(new GeneralName(GeneralName.dNSName, "localhost"));
      names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
      for (String h : extraHosts) {
        names.add(new GeneralName(Character.isDigit(h.charAt(0)) ? GeneralName.iPAddress
            : GeneralName.dNSName, h));
      }
      nb.addExtension(Extension.subjectAlternativeName, false,
          new GeneralNames(names.toArray(GeneralName[]::new)));
      nb.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
      nb.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
          new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
      Path cert = out.resolve(id + ".pem");
      writePem(cert, sign(nb, ca), false);
      writePem(out.resolve(id + "-key.pem"), new JcaPKCS8Generator(kp.getPrivate(), null), true);
      written.add(cert);
    }
    return written;
  }

  private static KeyPair p256(SecureRandom rng) throws GeneralSecurityException {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"), rng);
    return g.generateKeyPair();
  }

  private static BigInteger serial(SecureRandom rng) {
    return new BigInteger(64, rng).add(BigInteger.ONE);
  }

  private static X509CertificateHolder sign(JcaX509v3CertificateBuilder b, KeyPair ca)
      throws GeneralSecurityException {
    try {
      return b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(ca.getPrivate()));
    } catch (OperatorCreationException e) {
      throw new GeneralSecurityException("signing a dev certificate failed: " + e.getMessage(),
          e);
    }
  }

  private static void writePem(Path file, Object obj, boolean secret) throws IOException {
    Files.deleteIfExists(file);
    if (secret) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
        JcaPEMWriter pem = new JcaPEMWriter(w)) {
      pem.writeObject(obj);
    }
  }
}
