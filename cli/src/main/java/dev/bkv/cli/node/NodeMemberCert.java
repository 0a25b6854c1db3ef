package dev.bkv.cli.node;

import dev.bkv.cli.CliException;
import dev.bkv.cli.ExitCodes;
import dev.bkv.cli.JsonOutput;
import dev.bkv.cli.TokenOptions;
import dev.bkv.cli.bundle.BundleCli;
import dev.bkv.node.trust.IdentityKey;
import dev.bkv.node.trust.MemberCertificates;
import dev.bkv.node.trust.MemberCredentialFiles;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Token;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code bkv node member-cert}: a member's Raft TLS key, certified by its HSM identity key. */
@Command(name = "member-cert", description = {
    "Generate the member's Raft TLS key (P-256) and a certificate for it signed by the member's",
    "identity key on its token. Writes DIR/<id>-raft.pem and DIR/<id>-raft-key.pem (mode 600);",
    "prints the identity key that certified it. Give the certificate to `bkv node roster`."})
public final class NodeMemberCert implements Callable<Integer> {
  @Mixin TokenOptions token;
  @Spec CommandSpec spec;

  @Option(names = "--member-id", required = true, description = "This member's id.")
  String memberId;

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
  Path out;

  @Option(names = "--identity-label", defaultValue = "member/identity", paramLabel = "LABEL",
      description = "Label of the identity key on the token (default ${DEFAULT-VALUE}).")
  String identityLabel;

  @Option(names = "--valid-for", defaultValue = "365d", paramLabel = "D",
      description = "Certificate lifetime, e.g. 90d or P90D (default ${DEFAULT-VALUE}).")
  String validFor;

  @Option(names = "--json", description = "Print JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    Duration life = BundleCli.duration("--valid-for", validFor);
    try (Pkcs11Token t = token.open()) {
      EcPrivateKey identity = t.keys().findEcP256(identityLabel);
      String keyId = new String(identity.id(), StandardCharsets.UTF_8);
      if (!keyId.isEmpty() && !keyId.equals(memberId)) {
        throw new CliException(ExitCodes.BAD_INPUT, "the identity key '" + identityLabel
            + "' on this token belongs to member '" + keyId + "', not '" + memberId + "'");
      }
      IdentityKey pub = IdentityKey.ofSec1(identity.publicKey().point());
      X509Certificate cert;
      try {
        cert = MemberCredentialFiles.issue(out, memberId, new HsmIdentitySigner(identity), life,
            new SecureRandom(), Clock.systemUTC());
      } catch (IllegalStateException e) {
        if (e.getCause() instanceof HsmException h) {
          throw h;
        }
        throw e;
      } catch (IllegalArgumentException e) {
        throw new CliException(ExitCodes.USAGE, e.getMessage());
      }
      try {
        MemberCertificates.check(cert, memberId, pub, Clock.systemUTC().instant());
      } catch (CertificateException e) {
        throw new CliException(ExitCodes.HSM, "the token's signature does not verify: "
            + e.getMessage(), e);
      }
      print(pub, cert);
      return ExitCodes.OK;
    }
  }

  private void print(IdentityKey pub, X509Certificate cert) {
    Path certFile = MemberCredentialFiles.certFile(out, memberId);
    Path keyFile = MemberCredentialFiles.keyFile(out, memberId);
    PrintWriter w = spec.commandLine().getOut();
    if (json) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("memberId", memberId);
      m.put("identityKey", pub.hex());
      m.put("certificate", certFile.toString());
      m.put("key", keyFile.toString());
      m.put("notAfter", cert.getNotAfter().toInstant().toString());
      w.println(JsonOutput.write(m));
    } else {
      w.printf("member %s: Raft certificate %s, key %s (valid until %s)%n", memberId, certFile,
          keyFile, cert.getNotAfter().toInstant());
      w.printf("certified by identity key %s%n", pub.hex());
    }
  }
}
