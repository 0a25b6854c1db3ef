package dev.bkv.node.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.api.DevCa;
import dev.bkv.node.testing.TestRaftTrust;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which certificates a member accepts on the Raft transport, and the reason for each refusal. */
class RosterTrustManagerTest {
  private static final SecureRandom RNG = new SecureRandom();

  @TempDir Path dir;
  private TestRaftTrust trust;
  private MemberRoster roster;
  private RosterTrustManager tm;

  @BeforeEach
  void setUp() throws Exception {
    trust = TestRaftTrust.create(dir, List.of("m1", "m2", "m3"));
    roster = MemberRoster.load(trust.roster());
    tm = new RosterTrustManager(roster, Clock.systemUTC());
  }

  @Test
  void acceptsEveryPinnedMemberAsClientAndServer() throws Exception {
    for (String id : roster.ids()) {
      X509Certificate c = roster.entry(id).orElseThrow().certificate();
      assertEquals(id, tm.check(new X509Certificate[] {c}));
      tm.checkClientTrusted(new X509Certificate[] {c}, "ECDHE_ECDSA", (java.net.Socket) null);
      tm.checkServerTrusted(new X509Certificate[] {c}, "ECDHE_ECDSA",
          (javax.net.ssl.SSLEngine) null);
    }
    assertEquals(0, tm.getAcceptedIssuers().length);
  }

  @Test
  void refusesACertificateFromAnotherCa() throws Exception {
    DevCa.create(dir.resolve("ca"), List.of("m1"), List.of(), RNG);
    X509Certificate other = Pem.certificate(Files.readString(dir.resolve("ca/m1.pem")), "c");
    assertRefused("names member 'm1' in its CN and 'null' in its bkv-member: URI", other);
  }

  @Test
  void refusesACertificateSignedByAnotherIdentityKey() throws Exception {
    KeyPair impostor = TestRaftTrust.p256(RNG);
    X509Certificate forged = issue("m1", impostor, Instant.now().minusSeconds(60),
        Instant.now().plusSeconds(3600));
    assertRefused("certificate of member 'm1' is not signed by that member's identity key "
        + roster.entry("m1").orElseThrow().identityKey().hex(), forged);
  }

  @Test
  void refusesAnUnknownMemberId() throws Exception {
    X509Certificate stranger = issue("m9", TestRaftTrust.p256(RNG),
        Instant.now().minusSeconds(60), Instant.now().plusSeconds(3600));
    assertRefused("names member 'm9', which is not in the member roster [m1, m2, m3]",
        stranger);
  }

  @Test
  void refusesAnotherMembersCertificateUnderTheWrongName() throws Exception {
    // m2's identity key certifies a key under m1's name: signed by the wrong identity key.
    X509Certificate wrongId = issue("m1", trust.identity("m2"), Instant.now().minusSeconds(60),
        Instant.now().plusSeconds(3600));
    assertRefused("certificate of member 'm1' is not signed by that member's identity key",
        wrongId);
  }

  @Test
  void refusesAnExpiredOrNotYetValidCertificate() throws Exception {
    X509Certificate m1 = roster.entry("m1").orElseThrow().certificate();
    RosterTrustManager later = new RosterTrustManager(roster, Clock.fixed(
        m1.getNotAfter().toInstant().plus(Duration.ofSeconds(1)), ZoneOffset.UTC));
    CertificateException e = assertThrows(CertificateException.class,
        () -> later.check(new X509Certificate[] {m1}));
    assertTrue(e.getMessage().startsWith("certificate of member 'm1' is valid "), e.getMessage());
    RosterTrustManager earlier = new RosterTrustManager(roster, Clock.fixed(
        m1.getNotBefore().toInstant().minus(Duration.ofSeconds(1)), ZoneOffset.UTC));
    assertThrows(CertificateException.class, () -> earlier.check(new X509Certificate[] {m1}));
  }

  @Test
  void refusesAValidButUnpinnedCertificateOfAMember() throws Exception {
    // Properly signed by m1's identity key, but not the certificate the roster pins.
    X509Certificate reissued = issue("m1", trust.identity("m1"), Instant.now().minusSeconds(60),
        Instant.now().plusSeconds(3600));
    assertRefused("is not the one the member roster pins", reissued);
  }

  @Test
  void refusesAnEmptyChain() {
    assertRefused("the peer presented no certificate");
    CertificateException e = assertThrows(CertificateException.class,
        () -> tm.checkClientTrusted(null, "ECDHE_ECDSA"));
    assertTrue(e.getMessage().contains("no certificate"), e.getMessage());
  }

  private void assertRefused(String reason, X509Certificate... chain) {
    CertificateException e = assertThrows(CertificateException.class, () -> tm.check(chain));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  private static X509Certificate issue(String id, KeyPair identity, Instant from, Instant to)
      throws Exception {
    return MemberCertificates.issue(id, TestRaftTrust.p256(RNG).getPublic(),
        new JcaContentSignerBuilder("SHA256withECDSA").build(identity.getPrivate()), from, to,
        BigInteger.valueOf(RNG.nextInt(1 << 30) + 1L));
  }
}
