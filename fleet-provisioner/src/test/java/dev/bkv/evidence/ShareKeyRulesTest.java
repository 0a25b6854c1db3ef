package dev.bkv.evidence;

import static org.junit.jupiter.api.Assertions.*;

import dev.bkv.ceremony.Ceremony;
import dev.bkv.ceremony.FaultInjector;
import dev.bkv.ceremony.MemberKeys;
import dev.bkv.pkcs11.AesKey;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.ShareWrapKey;
import dev.bkv.pkcs11.testing.SoftHsmTokens;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The group wrap keys of a 3-member fleet (members a, b, c; sets {a}, {b}, {c}): exact holdings
 * on the tokens, check values in the evidence, and statements that claim otherwise rejected
 * with a message naming the member, the set and the rule.
 */
class ShareKeyRulesTest {
  static final SoftwareVersion SW = new SoftwareVersion("test-classes", SoftwareVersion.DEVELOPMENT);
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);
  static final String FLEET = "sk";
  static final String PREFIX = "fleet/sk/oprf-share/";
  static final Map<String, Pkcs11Token> TOKENS = new LinkedHashMap<>();
  static Pkcs11Token operator;
  static Envelope good;
  static EvidencePayload payload;

  @BeforeAll
  static void provision() throws Exception {
    for (String id : List.of("a", "b", "c")) {
      Pkcs11Token t = Pkcs11Token.open(SoftHsmTokens.create("sk" + id));
      MemberKeys.ensureMember(t, id);
      TOKENS.put(id, t);
    }
    operator = Pkcs11Token.open(SoftHsmTokens.create("skop"));
    List<Pkcs11Token> all = new ArrayList<>(TOKENS.values());
    good = new Ceremony(CLOCK, s -> { }, FaultInjector.NONE, SW).run(new Ceremony.Request(FLEET, 1,
        all.get(0), all.subList(1, 3), operator, false)).evidence();
    payload = EvidenceVerifier.verify(good).requireValid().payload();
  }

  @AfterAll
  static void close() {
    TOKENS.values().forEach(Pkcs11Token::close);
    operator.close();
  }

  @Test
  void eachMemberHoldsExactlyTheWrapKeysOfTheSetsItIsNotIn() throws Exception {
    ShareLayout layout = new ShareLayout(FLEET, List.of("a", "b", "c"));
    Map<String, String> checkOfSet = new LinkedHashMap<>();
    for (Map.Entry<String, Pkcs11Token> e : TOKENS.entrySet()) {
      Set<String> onToken = new HashSet<>();
      for (var o : e.getValue().inventory()) {
        if (o.label().startsWith(PREFIX)) {
          onToken.add(o.label());
          assertEquals(Boolean.FALSE, o.extractable(), o.label() + " on " + e.getKey());
          assertEquals(Boolean.TRUE, o.sensitive(), o.label() + " on " + e.getKey());
          assertEquals(dev.bkv.pkcs11.KeyType.AES, o.keyType());
        }
      }
      Set<String> expected = new HashSet<>();
      layout.heldBy(e.getKey()).forEach(s -> expected.add(layout.label(s)));
      assertEquals(2, expected.size());
      assertEquals(expected, onToken, "member " + e.getKey());
      assertFalse(onToken.contains(PREFIX + e.getKey()), "member " + e.getKey() + " is in its own set");
      for (String label : onToken) {
        String check = new ShareWrapKey(e.getValue().keys().findAes(label)).checkValue();
        String before = checkOfSet.putIfAbsent(label, check);
        assertTrue(before == null || before.equals(check), label + " differs on " + e.getKey());
      }
    }
    assertEquals(3, checkOfSet.size());
    assertEquals(3, new HashSet<>(checkOfSet.values()).size(), "every set has its own key");
    // what one holder wraps, the other holder opens: b and c both hold W_{a}
    ShareWrapKey atB = new ShareWrapKey(TOKENS.get("b").keys().findAes(PREFIX + "a"));
    ShareWrapKey atC = new ShareWrapKey(TOKENS.get("c").keys().findAes(PREFIX + "a"));
    ShareWrapKey.WrappedShare share = atB.generate();
    byte[] p = share.publicKey().point();
    assertArrayEquals(atB.evaluate(share.wrapped(), p)[0], atC.evaluate(share.wrapped(), p)[0]);
  }

  @Test
  void evidenceListsTheShareKeysWithTheTokensCheckValues() throws Exception {
    for (MemberSection s : payload.members()) {
      MemberStatement m = s.statement();
      assertEquals(MemberStatement.SCHEMA, m.schema());
      assertEquals(2, m.shareKeys().size(), m.memberId());
      for (ShareKeyValue v : m.shareKeys()) {
        assertNotEquals(m.memberId(), v.set());
        assertEquals(PREFIX + v.set(), v.label());
        assertEquals(ShareKeyValue.CHECK, v.check());
        assertEquals(new ShareWrapKey(TOKENS.get(m.memberId()).keys().findAes(v.label())).checkValue(),
            v.checkValue());
      }
      assertEquals(6 + 2, m.inventory().stream().filter(e -> e.label().startsWith("fleet/sk/")).count());
    }
    assertEquals("bkv.dev/deployment-evidence/v2", payload.schema());
    assertTrue(EvidenceVerifier.verify(good).passed().stream()
        .anyMatch(p -> p.startsWith("group wrap keys: each of the 3 share sets")));
  }

  @Test
  void memberInTheSetClaimingItsWrapKeyIsRejected() throws Exception {
    // a copies b's entry for set {a} into its own statement (and inventory)
    ShareKeyValue ofA = statement("b").shareKeys().stream().filter(v -> v.set().equals("a")).findFirst().orElseThrow();
    InventoryEntry objA = statement("b").inventory().stream().filter(e -> e.label().equals(PREFIX + "a")).findFirst().orElseThrow();
    List<String> problems = problems("a", m -> with(m, plus(m.shareKeys(), ofA), plus(m.inventory(), objA)));
    assertTrue(problems.contains("member a, set a: holds the group wrap key 'fleet/sk/oprf-share/a' but is in the"
        + " set (rule: no member of a set holds its wrap key; the genesis destroys its copies)"), problems.toString());
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("member a: has 9 objects under 'fleet/sk/'; expected 8")),
        problems.toString());
  }

  @Test
  void mismatchingCheckValuesAreRejected() throws Exception {
    String forged = "00".repeat(32);
    List<String> problems = problems("c", m -> with(m, m.shareKeys().stream().map(v -> !v.set().equals("a") ? v
        : new ShareKeyValue(v.set(), v.label(), forged, v.check())).toList(), m.inventory()));
    assertEquals(1, problems.size(), problems.toString());
    assertTrue(problems.get(0).matches("member c, set a: check value 0{64} differs from member b's [0-9a-f]{64}"
        + " \\(rule: every holder of a set's wrap key holds the same key\\)"), problems.get(0));
  }

  @Test
  void sameKeyForTwoSetsIsRejected() throws Exception {
    String ofB = statement("a").shareKeys().stream().filter(v -> v.set().equals("b")).findFirst().orElseThrow().checkValue();
    UnaryOperator<MemberStatement> sameAsB = m -> with(m, m.shareKeys().stream().map(v -> !v.set().equals("c") ? v
        : new ShareKeyValue(v.set(), v.label(), ofB, v.check())).toList(), m.inventory());
    List<String> problems = problems(Map.of("a", sameAsB, "b", sameAsB));
    assertEquals(List.of("member a, set c: check value " + ofB + " equals that of set b (rule: every set has its own wrap key)"),
        problems);
  }

  @Test
  void missingHolderAndExtractableWrapKeyAreRejected() throws Exception {
    List<String> missing = problems("b", m -> with(m,
        m.shareKeys().stream().filter(v -> !v.set().equals("c")).toList(),
        m.inventory().stream().filter(e -> !e.label().equals(PREFIX + "c")).toList()));
    assertTrue(missing.contains("member b, set c: does not hold the group wrap key 'fleet/sk/oprf-share/c'"
        + " (rule: every member outside a set holds its wrap key)"), missing.toString());
    List<String> unlisted = problems("b", m -> with(m,
        m.shareKeys().stream().filter(v -> !v.set().equals("c")).toList(), m.inventory()));
    assertTrue(unlisted.contains("member b: SECRET_KEY 'fleet/sk/oprf-share/c' is not listed in shareKeys"
        + " (rule: every object under 'fleet/sk/oprf-share/' is a listed, checked wrap key)"), unlisted.toString());
    List<String> extractable = problems("b", m -> with(m, m.shareKeys(), m.inventory().stream()
        .map(e -> !e.label().equals(PREFIX + "c") ? e : new InventoryEntry(e.objectClass(), e.keyType(), e.label(),
            e.id(), e.publicValue(), e.token(), e.privateObject(), e.local(), false, e.alwaysSensitive(), true,
            e.neverExtractable(), e.wrapWithTrusted(), e.trusted(), e.modifiable(), e.usages())).toList()));
    assertEquals(List.of("member b: SECRET_KEY 'fleet/sk/oprf-share/c' is extractable (CKA_EXTRACTABLE=true)",
        "member b: SECRET_KEY 'fleet/sk/oprf-share/c' is not sensitive (CKA_SENSITIVE=false)"), extractable);
  }

  @Test
  void liveCheckSeesAWrapKeyThatIsGone() throws Exception {
    Pkcs11Token c = TOKENS.get("c");
    assertEquals(List.of(), LiveCheck.compare(payload, c));
    AesKey extra = c.keys().generateAes256(dev.bkv.pkcs11.KeySpec.of(PREFIX + "x", dev.bkv.pkcs11.KeyUsage.WRAP,
        dev.bkv.pkcs11.KeyUsage.UNWRAP));
    try {
      List<String> diff = LiveCheck.compare(payload, c);
      assertTrue(diff.get(0).startsWith("member c (live): group wrap keys or their check values differ from the"
          + " evidence: now [a="), diff.toString());
      assertTrue(diff.contains("member c (live): SECRET_KEY 'fleet/sk/oprf-share/x' is on the token but not in"
          + " the evidence"), diff.toString());
    } finally {
      extra.destroy();
    }
  }

  @Test
  void oneMemberFleetHoldsTheSingleEmptySet() throws Exception {
    Pkcs11Token solo = Pkcs11Token.open(SoftHsmTokens.create("sksolo"));
    Pkcs11Token op = Pkcs11Token.open(SoftHsmTokens.create("sksoloop"));
    try {
      MemberKeys.ensureMember(solo, "solo");
      Envelope env = new Ceremony(CLOCK, s -> { }, FaultInjector.NONE, SW)
          .run(new Ceremony.Request("one", 1, solo, List.of(), op, false)).evidence();
      MemberStatement m = EvidenceVerifier.verify(env).requireValid().payload().members().get(0).statement();
      assertEquals(1, m.shareKeys().size());
      assertEquals("-", m.shareKeys().get(0).set());
      assertEquals("fleet/one/oprf-share/-", m.shareKeys().get(0).label());
      assertEquals(Boolean.FALSE, solo.keys().findAes("fleet/one/oprf-share/-").info().extractable());
    } finally {
      solo.close();
      op.close();
    }
  }

  private static MemberStatement statement(String id) {
    return payload.members().stream().map(MemberSection::statement).filter(m -> m.memberId().equals(id))
        .findFirst().orElseThrow();
  }

  /** Problems of the evidence with member {@code id}'s statement changed, re-signed by the real keys. */
  private static List<String> problems(String id, UnaryOperator<MemberStatement> f) throws Exception {
    return problems(Map.of(id, f));
  }

  private static List<String> problems(Map<String, UnaryOperator<MemberStatement>> changes) throws Exception {
    List<MemberSection> sections = new ArrayList<>();
    for (MemberSection s : payload.members()) {
      String id = s.statement().memberId();
      MemberStatement st = changes.getOrDefault(id, UnaryOperator.identity()).apply(s.statement());
      sections.add(MemberStatements.sign(st, TOKENS.get(id).keys().findEcP256(FleetKey.MEMBER_IDENTITY)));
    }
    EvidencePayload p = new EvidencePayload(payload.schema(), payload.fleetId(), payload.epoch(),
        payload.time(), payload.software(), payload.operator(), payload.transcript(), sections);
    Envelope env = Envelope.unsigned(p.toBytes());
    for (Pkcs11Token t : TOKENS.values()) {
      env = EvidenceAssembler.sign(env, t.keys().findEcP256(FleetKey.MEMBER_IDENTITY));
    }
    env = EvidenceAssembler.sign(env, operator.keys().findEcP256(FleetKey.OPERATOR_COUNTERSIGN));
    return EvidenceVerifier.verify(env).problems();
  }

  private static MemberStatement with(MemberStatement m, List<ShareKeyValue> shares, List<InventoryEntry> inventory) {
    return new MemberStatement(m.schema(), m.fleetId(), m.epoch(), m.memberId(), m.role(), m.token(),
        m.identityKey(), m.transportKey(), m.fleetKeys(), shares, inventory, m.attestation(), m.checks());
  }

  private static <T> List<T> plus(List<T> list, T item) {
    List<T> out = new ArrayList<>(list);
    out.add(item);
    return out;
  }
}
