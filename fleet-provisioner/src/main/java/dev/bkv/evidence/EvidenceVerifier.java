package dev.bkv.evidence;

import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.pkcs11.TokenDescription;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Offline verification of deployment evidence: envelope type, payload schema, every member's
 * DSSE signature and proof of possession, the operator's signature, and the end-state rules.
 */
public final class EvidenceVerifier {
  private EvidenceVerifier() {}

  /**
   * Checks everything that can be checked without the tokens.
   *
   * @throws MalformedEvidenceException if the payload cannot be parsed at all
   */
  public static VerificationReport verify(Envelope env) throws MalformedEvidenceException {
    List<String> passed = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    List<String> notes = new ArrayList<>();
    if (!Dsse.PAYLOAD_TYPE.equals(env.payloadType())) {
      problems.add("payloadType is '" + env.payloadType() + "'; expected '" + Dsse.PAYLOAD_TYPE + "'");
    }
    EvidencePayload p = EvidencePayload.parse(env.payloadBytes());
    if (!EvidencePayload.SCHEMA.equals(p.schema())) {
      problems.add("payload schema is '" + p.schema() + "'; expected '" + EvidencePayload.SCHEMA + "'");
    }
    byte[] pae = env.pae();
    Map<String, String> signers = new LinkedHashMap<>(); // keyid -> who
    Map<String, byte[]> keys = new LinkedHashMap<>();
    Set<String> ids = new HashSet<>();
    Set<String> serials = new HashSet<>();
    int genesis = 0;
    for (MemberSection s : p.members()) {
      MemberStatement m = s.statement();
      String who = "member " + m.memberId();
      if (!ids.add(m.memberId())) {
        problems.add(who + " appears twice");
      }
      if (!serials.add(tokenIdentity(m.token()))) {
        problems.add(who + ": token serial " + m.token().serial()
            + (hasSerial(m.token()) ? "" : " and label '" + m.token().label() + "'")
            + " is listed for two members");
      }
      if (!hasSerial(m.token())) {
        notes.add(who + ": token reports no serial (" + m.token().serial() + "), so its label '"
            + m.token().label() + "' tells it apart from the other members' tokens");
      }
      if (!MemberStatement.SCHEMA.equals(m.schema())) {
        problems.add(who + ": statement schema is '" + m.schema() + "'; expected '" + MemberStatement.SCHEMA + "'");
      }
      if (!m.fleetId().equals(p.fleetId()) || m.epoch() != p.epoch()) {
        problems.add(who + ": statement is for fleet " + m.fleetId() + " epoch " + m.epoch()
            + "; the evidence is for fleet " + p.fleetId() + " epoch " + p.epoch());
      }
      genesis += "genesis".equals(m.role()) ? 1 : 0;
      if (MemberStatements.proofVerifies(s)) {
        passed.add(who + ": proof of possession by the identity key");
      } else {
        problems.add(who + ": proof of possession does not verify under its identity key");
      }
      String format = m.attestation().path("format").asText("");
      if (format.isEmpty()) {
        problems.add(who + ": attestation has no format");
      } else if (!format.equals("none")) {
        notes.add(who + ": attestation format '" + format + "' is carried but not checked by this verifier");
      } else {
        notes.add(who + ": no vendor attestation (format none)");
      }
      addKey(signers, keys, m.identityKey(), who, problems);
    }
    if (genesis != 1) {
      problems.add(genesis + " members have role genesis; expected exactly 1");
    }
    addKey(signers, keys, p.operator().publicKey(), "the operator", problems);
    checkSignatures(env, pae, signers, keys, passed, problems);
    List<MemberStatement> statements = p.members().stream().map(MemberSection::statement).toList();
    List<String> rules = EndStateRules.check(p.fleetId(), p.epoch(), statements);
    problems.addAll(rules);
    if (rules.isEmpty()) {
      passed.add("end state: " + statements.size() + " members, fleet keys identical, sensitive,"
          + " non-extractable, no trusted or ceremony objects left");
      passed.add("group wrap keys: each of the " + new ShareLayout(p.fleetId(), p.epoch(),
          statements.stream().map(MemberStatement::memberId).toList()).sets().size()
          + " share sets held by exactly the members outside it, check values agree per set and"
          + " differ between sets");
    }
    return new VerificationReport(p, passed, problems, notes);
  }

  /**
   * Whether the token reports a serial of its own. NSS softokn reports {@code 0000000000000000}
   * for every database; such tokens are told apart by their label as well.
   */
  static boolean hasSerial(TokenDescription t) {
    return !t.serial().isBlank() && !t.serial().chars().allMatch(c -> c == '0');
  }

  /** What identifies a member's token: manufacturer and serial, plus the label without a serial. */
  static String tokenIdentity(TokenDescription t) {
    return t.manufacturer() + "/" + t.serial() + (hasSerial(t) ? "" : "/" + t.label());
  }

  private static void addKey(Map<String, String> signers, Map<String, byte[]> keys, String hex,
                             String who, List<String> problems) {
    try {
      byte[] point = HexFormat.of().parseHex(hex);
      String keyid = Sha256.hex(point);
      if (signers.putIfAbsent(keyid, who) != null) {
        problems.add(who + " uses the same key as " + signers.get(keyid));
      }
      keys.put(keyid, point);
    } catch (IllegalArgumentException e) {
      problems.add(who + ": public key is not hex");
    }
  }

  private static void checkSignatures(Envelope env, byte[] pae, Map<String, String> signers,
                                      Map<String, byte[]> keys, List<String> passed,
                                      List<String> problems) {
    Set<String> seen = new HashSet<>();
    for (Envelope.Signature s : env.signatures()) {
      String who = signers.get(s.keyid());
      if (who == null) {
        problems.add("signature with keyid " + s.keyid() + " belongs to no member and not the operator");
        continue;
      }
      if (!seen.add(s.keyid())) {
        problems.add(who + " signed twice");
        continue;
      }
      byte[] sig;
      try {
        sig = Base64.getDecoder().decode(s.sig());
      } catch (IllegalArgumentException e) {
        problems.add("signature of " + who + " is not base64");
        continue;
      }
      if (EcdsaP256.verify(keys.get(s.keyid()), pae, sig)) {
        passed.add("DSSE signature of " + who);
      } else {
        problems.add("DSSE signature of " + who + " does not verify (payload or signature altered)");
      }
    }
    for (Map.Entry<String, String> e : signers.entrySet()) {
      if (!seen.contains(e.getKey())) {
        problems.add("no DSSE signature by " + e.getValue() + " (keyid " + e.getKey() + ")");
      }
    }
  }
}
