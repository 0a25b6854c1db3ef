package dev.bkv.node.trust;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;

/** PEM reading and writing for member certificates and PKCS#8 keys. */
public final class Pem {
  private Pem() {}

  /** Parses exactly one PEM certificate. */
  public static X509Certificate certificate(String pem, String what) throws IOException {
    Object o = one(pem, what);
    if (!(o instanceof X509CertificateHolder h)) {
      throw new IOException(what + " holds a " + o.getClass().getSimpleName()
          + "; expected one PEM CERTIFICATE");
    }
    try {
      return new JcaX509CertificateConverter().getCertificate(h);
    } catch (CertificateException e) {
      throw new IOException(what + " is not a readable X.509 certificate: " + e.getMessage(), e);
    }
  }

  /** Parses exactly one PEM PKCS#8 private key ({@code BEGIN PRIVATE KEY}). */
  public static PrivateKey privateKey(String pem, String what) throws IOException {
    Object o = one(pem, what);
    if (!(o instanceof PrivateKeyInfo info)) {
      throw new IOException(what + " holds a " + o.getClass().getSimpleName()
          + "; expected one PEM PKCS#8 PRIVATE KEY");
    }
    return new JcaPEMKeyConverter().getPrivateKey(info);
  }

  public static String toPem(Object obj) throws IOException {
    StringWriter s = new StringWriter();
    try (JcaPEMWriter w = new JcaPEMWriter(s)) {
      w.writeObject(obj instanceof PrivateKey k ? new JcaPKCS8Generator(k, null) : obj);
    }
    return s.toString();
  }

  /** Writes {@code text}; a secret is created with mode 0600 before anything is written. */
  public static void write(Path file, String text, boolean secret) throws IOException {
    Files.deleteIfExists(file);
    if (secret) {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(
          PosixFilePermissions.fromString("rw-------")));
    }
    try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
      w.write(text);
    }
  }

  private static Object one(String pem, String what) throws IOException {
    try (PEMParser p = new PEMParser(new StringReader(pem))) {
      Object o = p.readObject();
      if (o == null) {
        throw new IOException(what + " holds no PEM object");
      }
      if (p.readObject() != null) {
        throw new IOException(what + " holds more than one PEM object");
      }
      return o;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new IOException(what + " is not valid PEM: " + e.getMessage(), e);
    }
  }
}
