package dev.bkv.ceremony;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidenceVerificationException;
import dev.bkv.evidence.EvidenceVerifier;
import dev.bkv.evidence.MalformedEvidenceException;
import dev.bkv.evidence.MemberReadback;
import dev.bkv.evidence.VerificationReport;
import dev.bkv.pkcs11.Pkcs11Token;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import dev.bkv.pkcs11.ObjectInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Export, import through files, prepare, sign one token at a time, verify. */
class SplitCeremonyTest {
  @TempDir Path dir;

  @Test
  void splitCeremonyThroughFilesGivesValidEvidence() throws Exception {
    List<Pkcs11Token> tokens = Fleets.open("sp", 3);
    Pkcs11Token operator = Fleets.open("spop", 1).get(0);
    try {
      MemberDescriptor genesisDescriptor = MemberKeys.ensureMember(tokens.get(0), "g");
      List<MemberDescriptor> others = new ArrayList<>();
      for (int i = 1; i < 3; i++) {
        Path f = dir.resolve("m" + i + ".member.json");
        MemberKeys.ensureMember(tokens.get(i), "m" + i).write(f);
        others.add(MemberDescriptor.read(f));
      }
      // SoftHSM2 takes OAEP with SHA-1 only: the descriptors say so, the wrapped keys name SHA-1,
      // and the transcript records the fallback for each member
      assertEquals(List.of("SHA-1"), others.get(0).transportOaep());
      List<String> steps = new ArrayList<>();
      SplitCeremony.Export export = SplitCeremony.exportKeys(tokens.get(0), "sp", 2, others, false, steps::add);
      assertEquals("SHA-1", export.wrapped().get(0).transportOaep());
      assertEquals(2, steps.stream().filter(x -> x.startsWith("fallback") && x.contains("RSA-OAEP with SHA-1 for member m")
          && x.endsWith("SHA-256 is not taken by the genesis token")).count(), steps.toString());
      List<MemberReadback> readbacks = new ArrayList<>(List.of(export.genesis()));
      for (int i = 1; i < 3; i++) {
        Path f = dir.resolve("m" + i + ".keys.json");
        export.wrapped().get(i - 1).write(f);
        Path rb = dir.resolve("m" + i + ".readback.json");
        SplitCeremony.importKeys(tokens.get(i), WrappedKeys.read(f), genesisDescriptor.identityKey(), s -> { })
            .write(rb);
        readbacks.add(MemberReadback.read(rb));
      }
      Envelope env = SplitCeremony.prepareEvidence(operator, "sp", 2, readbacks,
          Fleets.CLOCK.instant(), Fleets.SOFTWARE);
      VerificationReport unsigned = EvidenceVerifier.verify(env);
      assertEquals(4, unsigned.problems().size(), unsigned.problems().toString());
      assertTrue(unsigned.problems().get(0).startsWith("no DSSE signature by member g"));
      for (Pkcs11Token t : tokens) {
        env = SplitCeremony.sign(env, t);
      }
      env = SplitCeremony.sign(env, operator);
      VerificationReport report = EvidenceVerifier.verify(env);
      assertTrue(report.valid(), report.problems().toString());
      assertEquals(List.of("g", "m1", "m2"),
          report.payload().members().stream().map(m -> m.statement().memberId()).toList());

      // group wrap keys: sets {g}, {m1}, {m2}; each member holds the two it is not in
      List<String> ids = List.of("g", "m1", "m2");
      for (int i = 0; i < 3; i++) {
        Set<String> held = new TreeSet<>();
        for (ObjectInfo o : tokens.get(i).inventory()) {
          if (o.label().startsWith("fleet/sp@2/oprf-share/")) {
            held.add(o.label().substring("fleet/sp@2/oprf-share/".length()));
            assertEquals(Boolean.FALSE, o.extractable(), o.label());
          }
        }
        Set<String> expected = new TreeSet<>(ids);
        expected.remove(ids.get(i));
        assertEquals(expected, held, "member " + ids.get(i));
      }
      WrappedKeys forM1 = WrappedKeys.read(dir.resolve("m1.keys.json"));
      assertEquals(ids, forM1.members());
      assertEquals(List.of("fleet/sp@2/oprf-share/g", "fleet/sp@2/oprf-share/m2"), forM1.keys().stream()
          .map(WrappedKeys.Entry::label).filter(l -> l.contains("oprf-share")).toList());
      report.payload().members().forEach(m -> assertEquals(2, m.statement().shareKeys().size()));

      // a member refuses wrapped keys that do not carry exactly the group wrap keys it holds
      WrappedKeys short1 = new WrappedKeys(forM1.schema(), forM1.fleetId(), forM1.epoch(), forM1.memberId(),
          forM1.members(), forM1.transportKey(), forM1.genesisToken(), forM1.genesisKey(),
          forM1.wrappedTransportKey(), forM1.transportOaep(), forM1.keys().subList(0, forM1.keys().size() - 1),
          forM1.signature());
      CeremonyException wrongShares = assertThrows(CeremonyException.class,
          () -> MemberImport.importKeys(tokens.get(1), short1, new Transcript(s -> { })));
      assertEquals("the wrapped keys for member 'm1' carry group wrap keys [fleet/sp@2/oprf-share/g]; in the"
          + " layout of [g, m1, m2] it holds exactly [fleet/sp@2/oprf-share/g, fleet/sp@2/oprf-share/m2]",
          wrongShares.getMessage());

      // the wrapped keys can be imported again (idempotent) but not by another member
      SplitCeremony.importKeys(tokens.get(1), forM1, genesisDescriptor.identityKey(), s -> { });
      CeremonyException wrongMember = assertThrows(CeremonyException.class, () ->
          SplitCeremony.importKeys(tokens.get(2), forM1, genesisDescriptor.identityKey(), s -> { }));
      assertTrue(wrongMember.getMessage().contains("are for member 'm1'"), wrongMember.getMessage());
      MalformedEvidenceException forged = assertThrows(MalformedEvidenceException.class, () ->
          SplitCeremony.importKeys(tokens.get(1), forM1, others.get(0).identityKey(), s -> { }));
      assertTrue(forged.getMessage().contains("not by the expected genesis"), forged.getMessage());

      // a member refuses to sign once its token differs from its section
      Pkcs11Token m2 = tokens.get(2);
      m2.keys().generateEcP256(dev.bkv.pkcs11.KeySpec.of("late/key", dev.bkv.pkcs11.KeyUsage.SIGN));
      Envelope fresh = SplitCeremony.prepareEvidence(operator, "sp", 2, readbacks,
          Fleets.CLOCK.instant(), Fleets.SOFTWARE);
      EvidenceVerificationException refused = assertThrows(EvidenceVerificationException.class,
          () -> SplitCeremony.sign(fresh, m2));
      assertTrue(refused.getMessage().contains("'late/key' is on the token but not in the evidence"),
          refused.getMessage());
      CeremonyException again = assertThrows(CeremonyException.class, () ->
          SplitCeremony.exportKeys(tokens.get(0), "sp", 2, others, false, s -> { }));
      assertTrue(again.getMessage().contains("already sealed"), again.getMessage());
      assertTrue(Files.size(dir.resolve("m1.keys.json")) > 1000);
    } finally {
      tokens.forEach(Pkcs11Token::close);
      operator.close();
    }
  }

  @Test
  void membersWithoutACommonOaepHashAreRefusedBeforeAnythingIsWritten() throws Exception {
    List<Pkcs11Token> tokens = Fleets.open("oa", 2);
    try {
      MemberDescriptor honest = MemberKeys.ensureMember(tokens.get(1), "m1");
      // a member whose token took only SHA-256 (signed by its identity key like a real one)
      MemberDescriptor unsigned = new MemberDescriptor(honest.schema(), honest.memberId(),
          honest.token(), honest.identityKey(), honest.transportModulus(),
          honest.transportExponent(), List.of("SHA-256"), "");
      byte[] sig = dev.bkv.crypto.EcdsaP256.derFromRaw(tokens.get(1).keys()
          .findEcP256(dev.bkv.evidence.FleetKey.MEMBER_IDENTITY).signEcdsa(unsigned.signedBytes()));
      MemberDescriptor sha256Only = new MemberDescriptor(unsigned.schema(), unsigned.memberId(),
          unsigned.token(), unsigned.identityKey(), unsigned.transportModulus(),
          unsigned.transportExponent(), unsigned.transportOaep(),
          java.util.Base64.getEncoder().encodeToString(sig));
      CeremonyException e = assertThrows(CeremonyException.class, () -> SplitCeremony.exportKeys(
          tokens.get(0), "oa", 1, List.of(sha256Only), false, s -> { }));
      assertTrue(e.getMessage().contains("takes RSA-OAEP with [SHA-1] and member m1's token with "
          + "[SHA-256]: no hash in common"), e.getMessage());
      assertTrue(tokens.get(0).inventory().stream().noneMatch(o -> o.label().startsWith("fleet/oa")),
          "rolled back");
    } finally {
      tokens.forEach(Pkcs11Token::close);
    }
  }
}
