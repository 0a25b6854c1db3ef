package dev.bkv.node.trust;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.bkv.node.testing.TestRaftTrust;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading a roster and a member's trust material, and every way they can be wrong. */
class MemberRosterTest {
  @TempDir Path dir;
  private TestRaftTrust trust;
  private String json;

  @BeforeEach
  void setUp() throws Exception {
    trust = TestRaftTrust.create(dir, List.of("m1", "m2"));
    json = Files.readString(trust.roster());
  }

  @Test
  void roundTripsAndLoadsTrust() throws Exception {
    MemberRoster r = MemberRoster.parse(json);
    assertEquals(List.of("m1", "m2"), List.copyOf(r.ids()));
    assertEquals(json, r.toJson());
    assertEquals(r, MemberRoster.parse(r.toJson()));
    MemberTrust t = MemberTrust.load(trust.roster(), trust.files("m2").cert(),
        trust.files("m2").key(), List.of("m2", "m1"), "m2");
    assertEquals("m2", t.credential().memberId());
    // An uncompressed identity key is read as the same key.
    RosterEntry e = r.entry("m1").orElseThrow();
    String uncompressed = "04" + hex32(e.identityKey().key().getW().getAffineX())
        + hex32(e.identityKey().key().getW().getAffineY());
    assertEquals(e.identityKey(), IdentityKey.ofHex(uncompressed));
  }

  @Test
  void refusesMalformedRosters() {
    assertRefused("not JSON", "{");
    assertRefused("schema is 'null'; expected 'bkv/member-roster/v1'", "{}");
    assertRefused("has no \"members\" array", "{\"schema\":\"bkv/member-roster/v1\"}");
    assertRefused("member roster lists no members",
        "{\"schema\":\"bkv/member-roster/v1\",\"members\":[]}");
    assertRefused("entry 'm1' has no \"certificate\" string",
        json.replace("\"certificate\"", "\"cert\""));
    assertRefused("identity key 'zz' is not hex",
        json.replaceFirst("\"identity-key\" : \"[0-9a-f]+\"", "\"identity-key\" : \"zz\""));
    assertRefused("identity key is 2 bytes; expected a 33- or 65-byte SEC1 P-256 point",
        json.replaceFirst("\"identity-key\" : \"[0-9a-f]+\"", "\"identity-key\" : \"0102\""));
    assertRefused("holds no PEM object", json.replaceFirst(
        "\"certificate\" : \"-----BEGIN[^\"]+\"", "\"certificate\" : \"\""));
  }

  @Test
  void refusesACertificateThatIsNotSignedByTheListedIdentityKey() throws Exception {
    MemberRoster r = MemberRoster.parse(json);
    String k1 = r.entry("m1").orElseThrow().identityKey().hex();
    String k2 = r.entry("m2").orElseThrow().identityKey().hex();
    assertRefused("roster entry 'm1': its certificate is not signed by its identity key " + k2,
        json.replace(k1, "SWAP").replace(k2, k1).replace("SWAP", k2));
  }

  @Test
  void refusesACertificateForAnotherIdOrAnIdTwice() throws Exception {
    String renamed = json.replaceFirst("\"id\" : \"m1\"", "\"id\" : \"m3\"");
    assertRefused("roster entry 'm3' has a certificate for member 'm1'", renamed);
    String twice = json.replaceFirst("\"id\" : \"m2\"", "\"id\" : \"m1\"");
    assertRefused("roster entry 'm1' has a certificate for member 'm2'", twice);
    RosterEntry m1 = MemberRoster.parse(json).entry("m1").orElseThrow();
    IllegalArgumentException dup = assertThrows(IllegalArgumentException.class,
        () -> MemberRoster.of(List.of(m1, m1)));
    assertEquals("member roster lists member 'm1' twice", dup.getMessage());
  }

  @Test
  void trustMustMatchPeersAndTheMembersOwnCertificate() throws Exception {
    RosterException peers = assertThrows(RosterException.class, () -> MemberTrust.load(
        trust.roster(), trust.files("m1").cert(), trust.files("m1").key(),
        List.of("m1", "m2", "m3"), "m1"));
    assertTrue(peers.getMessage().endsWith("lists members [m1, m2]; node.peers lists "
        + "[m1, m2, m3]"), peers.getMessage());
    RosterException self = assertThrows(RosterException.class, () -> MemberTrust.load(
        trust.roster(), trust.files("m1").cert(), trust.files("m1").key(),
        List.of("m1", "m2"), "m2"));
    assertTrue(self.getMessage().contains("is for member 'm1'; node.id is 'm2'"),
        self.getMessage());
    RosterException mismatch = assertThrows(RosterException.class, () -> MemberTrust.load(
        trust.roster(), trust.files("m1").cert(), trust.files("m2").key(),
        List.of("m1", "m2"), "m1"));
    assertTrue(mismatch.getMessage().contains("the Raft TLS key of member 'm1' does not "
        + "match its certificate"), mismatch.getMessage());
    TestRaftTrust other = TestRaftTrust.create(Files.createDirectories(dir.resolve("other")),
        List.of("m1"));
    RosterException unpinned = assertThrows(RosterException.class, () -> MemberTrust.load(
        trust.roster(), other.files("m1").cert(), other.files("m1").key(),
        List.of("m1", "m2"), "m1"));
    assertTrue(unpinned.getMessage().contains("is not the one the member roster pins"),
        unpinned.getMessage());
    RosterException absent = assertThrows(RosterException.class, () -> MemberRoster.load(
        dir.resolve("absent.json")));
    assertTrue(absent.getMessage().startsWith("cannot read member roster "), absent.getMessage());
  }

  private static void assertRefused(String reason, String text) {
    RosterException e = assertThrows(RosterException.class, () -> MemberRoster.parse(text));
    assertTrue(e.getMessage().contains(reason), e.getMessage());
  }

  private static String hex32(java.math.BigInteger v) {
    return String.format("%064x", v);
  }
}
