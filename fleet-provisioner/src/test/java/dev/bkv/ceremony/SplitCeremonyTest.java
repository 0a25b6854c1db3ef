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
      SplitCeremony.Export export = SplitCeremony.exportKeys(tokens.get(0), "sp", 2, others, false, s -> { });
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

      // the wrapped keys can be imported again (idempotent) but not by another member
      WrappedKeys forM1 = WrappedKeys.read(dir.resolve("m1.keys.json"));
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
}
