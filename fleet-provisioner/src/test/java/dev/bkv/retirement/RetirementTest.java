package dev.bkv.retirement;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.bundle.BundleException;
import dev.bkv.bundle.BundleRejectedException;
import dev.bkv.bundle.BundleVerifier;
import dev.bkv.bundle.CosignedBundle;
import dev.bkv.bundle.Cosigner;
import dev.bkv.bundle.Countersignature;
import dev.bkv.bundle.EvidenceFacts;
import dev.bkv.bundle.LogAuditor;
import dev.bkv.bundle.RetirementEntry;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.bundle.testing.BundleFixture;
import dev.bkv.ceremony.Ceremony;
import dev.bkv.ceremony.FaultInjector;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.Json;
import dev.bkv.evidence.SoftwareVersion;
import dev.bkv.pkcs11.KeySpec;
import dev.bkv.pkcs11.KeyUsage;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retiring epoch 1 of a fleet provisioned on three SoftHSM2 member tokens, while epoch 2's keys
 * sit beside it: the members' read-backs, the operator's statement, the cosigner's log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RetirementTest {
  static final String FLEET = BundleFixture.FLEET;
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);
  static final String[] EPOCH2 = {"fleet/" + FLEET + "@2/ake", "fleet/" + FLEET + "@2/record"};

  @TempDir static Path dir;
  static List<SoftHsmTokens.TestToken> memberTokens = new ArrayList<>();
  static List<Pkcs11Token> members = new ArrayList<>();
  static Pkcs11Token operator;
  static Envelope evidence;
  static ValidationBundle bundle1;
  static List<Envelope> readbacks = new ArrayList<>();

  @BeforeAll
  static void provision() throws Exception {
    for (int i = 1; i <= 3; i++) {
      SoftHsmTokens.TestToken t = SoftHsmTokens.createToken("rm" + i);
      memberTokens.add(t);
      members.add(Pkcs11Token.open(t.config()));
    }
    operator = Pkcs11Token.open(SoftHsmTokens.create("rop"));
    Ceremony c = new Ceremony(CLOCK, s -> { }, FaultInjector.NONE,
        new SoftwareVersion("test-classes", SoftwareVersion.DEVELOPMENT));
    evidence = c.run(new Ceremony.Request(FLEET, 1, members.get(0), members.subList(1, 3),
        operator, false)).evidence();
    EvidenceFacts facts = EvidenceFacts.read(Json.pretty(evidence));
    bundle1 = new ValidationBundle(FLEET, 1, BundleFixture.T0, BundleFixture.T0.plus(Duration.ofDays(60)),
        null, facts.payloadHash(), facts.akeKey(), facts.members());
    for (Pkcs11Token m : members) {
      m.keys().generateEcP256(KeySpec.of(EPOCH2[0], KeyUsage.DERIVE));
      m.keys().generateAes256(KeySpec.of(EPOCH2[1], KeyUsage.ENCRYPT, KeyUsage.DECRYPT));
    }
  }

  @AfterAll
  static void close() {
    members.forEach(Pkcs11Token::close);
    operator.close();
  }

  @Test
  @Order(1)
  void aTokenWithoutTheEpochsKeysIsRefusedUntouched() throws Exception {
    List<String> before = labels(members.get(0), "");
    RetirementException e = assertThrows(RetirementException.class,
        () -> MemberRetirement.retire(members.get(0), FLEET, 3, CLOCK, null, rb -> fail()));
    assertTrue(e.getMessage().contains("holds no object under fleet/" + FLEET + "@3/"), e.getMessage());
    assertEquals(before, labels(members.get(0), ""), "nothing destroyed");
    assertTrue(before.contains("fleet/" + FLEET + "/record"), before.toString());
  }

  @Test
  @Order(2)
  void retireMemberDestroysExactlyTheEpochsObjects() throws Exception {
    for (int i = 0; i < 3; i++) {
      Pkcs11Token m = members.get(i);
      List<String> before = labels(m, "");
      List<Envelope> journal = new ArrayList<>();
      Envelope rb = MemberRetirement.retire(m, FLEET, 1, CLOCK, null, journal::add);
      assertEquals(1, journal.size());
      RetirementReadback p = Json.parse(rb.payloadBytes(), RetirementReadback.class, "rb");
      assertEquals(List.of(), labels(m, "fleet/" + FLEET + "/"));
      assertEquals(List.of(EPOCH2[0], EPOCH2[1]), p.otherEpochKeys());
      List<String> after = labels(m, "");
      List<String> gone = new ArrayList<>(before);
      gone.removeAll(after);
      assertTrue(gone.stream().allMatch(l -> l.startsWith("fleet/" + FLEET + "/")), gone.toString());
      assertTrue(gone.containsAll(List.of("fleet/" + FLEET + "/oprf", "fleet/" + FLEET + "/ake",
          "fleet/" + FLEET + "/record", "fleet/" + FLEET + "/oprf-seed")), gone.toString());
      assertEquals(gone.stream().distinct().sorted().toList(), p.destroyed());
      assertTrue(after.contains(FleetKey.MEMBER_IDENTITY) && after.containsAll(List.of(EPOCH2)));
      assertTrue(m.keys().exists(EPOCH2[1]));
      readbacks.add(rb);
    }
    String listed = pkcs11ToolObjects(memberTokens.get(1));
    assertFalse(listed.contains("fleet/" + FLEET + "/"), listed);
    assertTrue(listed.contains(EPOCH2[0]) && listed.contains(EPOCH2[1]), listed);
    assertTrue(listed.contains(FleetKey.MEMBER_IDENTITY), listed);
  }

  @Test
  @Order(3)
  void runAgainItOnlyReadsBackAndWithoutTheEarlierReadBackItRefuses() throws Exception {
    Envelope again = MemberRetirement.retire(members.get(0), FLEET, 1, CLOCK, readbacks.get(0),
        rb -> fail("nothing to destroy, no journal"));
    assertEquals(Json.parse(readbacks.get(0).payloadBytes(), RetirementReadback.class, "a").destroyed(),
        Json.parse(again.payloadBytes(), RetirementReadback.class, "b").destroyed());
    assertThrows(RetirementException.class,
        () -> MemberRetirement.retire(members.get(0), FLEET, 1, CLOCK, null, rb -> fail()));
    RetirementException other = assertThrows(RetirementException.class,
        () -> MemberRetirement.retire(members.get(0), FLEET, 1, CLOCK, readbacks.get(1), rb -> fail()));
    assertTrue(other.getMessage().contains("earlier read-back is of member"), other.getMessage());
  }

  @Test
  @Order(4)
  void aCrashAfterTheJournalIsRepairedByRunningAgain() throws Exception {
    Pkcs11Token m = members.get(2);
    List<Envelope> journal = new ArrayList<>();
    IOException crash = assertThrows(IOException.class, () -> MemberRetirement.retire(m, FLEET, 2,
        CLOCK, null, rb -> {
          journal.add(rb);
          throw new IOException("crash");
        }));
    assertEquals("crash", crash.getMessage());
    assertTrue(m.keys().exists(EPOCH2[0]), "the journal comes before any destroy");
    m.keys().destroyAll(EPOCH2[0]);
    m.keys().destroyAll(EPOCH2[1]);
    Envelope done = MemberRetirement.retire(m, FLEET, 2, CLOCK, journal.get(0), rb -> fail());
    RetirementReadback p = Json.parse(done.payloadBytes(), RetirementReadback.class, "rb");
    assertEquals(List.of(EPOCH2[0], EPOCH2[1]), p.destroyed());
    assertEquals(List.of(), p.left());
  }

  @Test
  @Order(5)
  void theOperatorRefusesAnEpochWithRecordsUnlessConfirmed() throws Exception {
    var key = operator.keys().findEcP256(FleetKey.OPERATOR_COUNTERSIGN);
    RetirementException e = assertThrows(RetirementException.class,
        () -> OperatorRetirement.assemble(bundle1, readbacks, 12, false, key, CLOCK));
    assertTrue(e.getMessage().contains("epoch 1 still holds 12 records"), e.getMessage());
    RetirementFile confirmed = OperatorRetirement.assemble(bundle1, readbacks, 12, true, key, CLOCK);
    assertEquals(12, Json.parse(confirmed.statement().payloadBytes(), RetirementStatement.class, "s").records());
    RetirementFile file = OperatorRetirement.assemble(bundle1, readbacks, 0, false, key, CLOCK);
    RetirementStatement st = RetirementVerifier.verify(file, bundle1,
        Json.parse(evidence.payloadBytes(), dev.bkv.evidence.EvidencePayload.class, "e").operator().publicKey());
    assertEquals(3, st.members().size());
    RetirementException missing = assertThrows(RetirementException.class,
        () -> OperatorRetirement.assemble(bundle1, readbacks.subList(0, 2), 0, false, key, CLOCK));
    assertTrue(missing.getMessage().contains("sent no read-back"), missing.getMessage());
  }

  @Test
  @Order(6)
  void aTamperedReadBackOrSignatureIsRefused() throws Exception {
    var key = operator.keys().findEcP256(FleetKey.OPERATOR_COUNTERSIGN);
    Envelope rb = readbacks.get(1);
    String payload = new String(rb.payloadBytes(), StandardCharsets.UTF_8)
        .replace("\"destroyed\":[\"fleet/", "\"destroyed\":[\"fleet/x");
    Envelope altered = new Envelope(rb.payloadType(),
        Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8)), rb.signatures());
    RetirementException e = assertThrows(RetirementException.class, () -> OperatorRetirement
        .assemble(bundle1, List.of(readbacks.get(0), altered, readbacks.get(2)), 0, false, key, CLOCK));
    assertTrue(e.getMessage().contains("does not verify"), e.getMessage());
    Envelope swapped = new Envelope(rb.payloadType(), rb.payload(), readbacks.get(0).signatures());
    RetirementException wrongKey = assertThrows(RetirementException.class, () -> OperatorRetirement
        .assemble(bundle1, List.of(readbacks.get(0), swapped, readbacks.get(2)), 0, false, key, CLOCK));
    assertTrue(wrongKey.getMessage().contains("no signature by key"), wrongKey.getMessage());

    RetirementFile file = OperatorRetirement.assemble(bundle1, readbacks, 0, false, key, CLOCK);
    Envelope st = file.statement();
    String stText = new String(st.payloadBytes(), StandardCharsets.UTF_8).replace("\"records\":0", "\"records\":5");
    RetirementFile forged = new RetirementFile(file.format(), new Envelope(st.payloadType(),
        Base64.getEncoder().encodeToString(stText.getBytes(StandardCharsets.UTF_8)), st.signatures()),
        file.readbacks());
    RetirementException op = assertThrows(RetirementException.class,
        () -> RetirementVerifier.verify(forged, bundle1, null));
    assertTrue(op.getMessage().contains("operator signature on the retirement statement does not verify"),
        op.getMessage());
  }

  @Test
  @Order(7)
  void theLogWalksEpochOneEpochTwoAndTheRetirementOfOne() throws Exception {
    BundleFixture f = new BundleFixture(7);
    Path log = dir.resolve("log");
    Path evidenceDir = dir.resolve("evidence");
    var key = operator.keys().findEcP256(FleetKey.OPERATOR_COUNTERSIGN);
    RetirementFile file = OperatorRetirement.assemble(bundle1, readbacks, 0, false, key, CLOCK);
    BundleFixture.Fleet fleet2 = f.fleet(3);
    ValidationBundle bundle2 = BundleFixture.bundle(fleet2, 2, bundle1);
    RetirementEntry entry = RetirementVerifier.entry(file);
    try (Cosigner c = f.cosigner(log)) {
      c.sign(bundle1.toText(), Json.pretty(evidence));
      RetirementEntry three = new RetirementEntry(FLEET, 3, entry.bundle(), entry.statement(), 0, entry.time());
      BundleRejectedException unknown = assertThrows(BundleRejectedException.class,
          () -> c.retire(three, file.toBytes(), RetirementVerifier.check(file, evidence)));
      assertEquals(BundleException.Reason.EPOCH_RETIRED, unknown.reason());
      c.sign(bundle2.toText(), BundleFixture.evidence(fleet2, 2));

      RetirementFile badOperator = new RetirementFile(file.format(), new Envelope(
          file.statement().payloadType(), file.statement().payload(), readbacks.get(0).signatures()),
          file.readbacks());
      BundleRejectedException refused = assertThrows(BundleRejectedException.class,
          () -> c.retire(entry, badOperator.toBytes(), RetirementVerifier.check(badOperator, evidence)));
      assertEquals(BundleException.Reason.RETIREMENT_INVALID, refused.reason());
      assertEquals(2, c.lastEpoch());

      CosignedBundle logged = c.retire(entry, file.toBytes(), RetirementVerifier.check(file, evidence));
      assertEquals(2, logged.index());
      CosignedBundle again = c.retire(entry, file.toBytes(), RetirementVerifier.check(file, evidence));
      assertEquals(logged.note(), again.note());
      RetirementEntry other = new RetirementEntry(FLEET, 1, entry.bundle(), entry.bundle(), 0, entry.time());
      assertEquals(BundleException.Reason.EPOCH_RETIRED, assertThrows(BundleRejectedException.class,
          () -> c.retire(other, file.toBytes(), RetirementVerifier.check(file, evidence))).reason());

      BundleFixture.Fleet fleet3 = f.fleet(3);
      ValidationBundle bundle3 = BundleFixture.bundle(fleet3, 3, bundle2);
      CosignedBundle third = f.publish(c, fleet3, bundle3);
      assertEquals(3, third.index(), "epoch 3 comes after the retirement entry");
      assertEquals(3, c.lastEpoch());
      var verified = new BundleVerifier(f.cosignerKey.verifierKey(), f.operatorKey.verifierKey(),
          Clock.fixed(bundle3.notBefore().plusSeconds(60), ZoneOffset.UTC), Duration.ZERO)
          .verify(third, null, null);
      assertEquals(3, verified.bundle().epoch());
    }
    java.nio.file.Files.createDirectories(evidenceDir.resolve("1"));
    evidence.write(evidenceDir.resolve("1/evidence.dsse.json"));
    LogAuditor.Report report = LogAuditor.audit(log, f.cosignerKey.verifierKey(), evidenceDir,
        PublishedRetirements.in(log, evidenceDir));
    assertTrue(report.ok(), report.toString());
    assertEquals(List.of(1L, 2L, 3L), report.epochs().stream().map(e -> e.epoch()).toList());
    assertEquals("at 2026-12-01T12:00:00Z (leaf 2)", report.epochs().get(0).retired());
    assertNull(report.epochs().get(1).retired());
    assertEquals(1, report.retirements().size());
    assertTrue(report.retirements().get(0).checks().stream()
        .anyMatch(s -> s.contains("3 member read-backs and the operator signature verify (operator key from")),
        report.retirements().toString());

    java.nio.file.Files.write(log.resolve("retirements/1.json"), new RetirementFile(file.format(),
        file.statement(), file.readbacks().subList(0, 2)).toBytes());
    LogAuditor.Report bad = LogAuditor.audit(log, f.cosignerKey.verifierKey(), evidenceDir,
        PublishedRetirements.in(log, evidenceDir));
    assertFalse(bad.ok());
    assertTrue(bad.retirements().get(0).problems().get(0).contains("file holds 2"),
        bad.retirements().toString());
  }

  static List<String> labels(Pkcs11Token t, String prefix) throws Exception {
    return t.inventory().stream().map(ObjectInfo::label).filter(l -> l.startsWith(prefix)).sorted().toList();
  }

  /** {@code pkcs11-tool --list-objects} (OpenSC) on the token, logged in; retried on a busy token. */
  static String pkcs11ToolObjects(SoftHsmTokens.TestToken t) throws Exception {
    String out = "";
    for (int attempt = 0; attempt < 5; attempt++) {
      Process p = new ProcessBuilder("pkcs11-tool", "--module", SoftHsmTokens.module().toString(),
          "--token-label", t.label(), "--login", "--pin", t.userPin(), "--list-objects")
          .redirectErrorStream(true).start();
      out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      if (p.exitValue() == 0 && out.contains("label:")) {
        return out;
      }
      Thread.sleep(200L * (attempt + 1));
    }
    fail("pkcs11-tool --list-objects failed 5 times: " + out);
    return out;
  }
}
