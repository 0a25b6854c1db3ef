package dev.bkv.retirement;

import dev.bkv.bundle.BundleException;
import dev.bkv.bundle.BundleMember;
import dev.bkv.bundle.BundleRejectedException;
import dev.bkv.bundle.RetirementCheck;
import dev.bkv.bundle.RetirementEntry;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.evidence.Envelope;
import dev.bkv.evidence.EvidencePayload;
import dev.bkv.evidence.FleetKey;
import dev.bkv.evidence.Json;
import dev.bkv.evidence.MalformedEvidenceException;
import dev.bkv.transparency.Sha256Hash;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Checks a retirement without any HSM: each member's read-back is signed by the identity key the
 * retired epoch's bundle lists for it and shows nothing left under the epoch's prefix; the
 * statement binds exactly those read-backs, names the bundle, and is signed by the operator key.
 */
public final class RetirementVerifier {
  private RetirementVerifier() {}

  /**
   * Verifies one member's signed read-back: payload type, fleet, epoch, member id and identity
   * key as {@code member}, the identity key's signature, and no object left under the prefix.
   */
  public static RetirementReadback verifyReadback(Envelope env, String fleetId, long epoch,
      BundleMember member) throws RetirementException, MalformedEvidenceException {
    String who = "read-back of member " + member.id();
    if (!RetirementReadback.PAYLOAD_TYPE.equals(env.payloadType())) {
      throw new RetirementException(who + " has payload type '" + env.payloadType()
          + "'; expected '" + RetirementReadback.PAYLOAD_TYPE + "'");
    }
    RetirementReadback rb = Json.parse(env.payloadBytes(), RetirementReadback.class, who);
    if (!rb.fleetId().equals(fleetId) || rb.epoch() != epoch || !rb.memberId().equals(member.id())
        || !rb.prefix().equals(FleetKey.prefix(fleetId, epoch))) {
      throw new RetirementException(who + " is for member " + rb.memberId() + " of fleet "
          + rb.fleetId() + " epoch " + rb.epoch() + " (prefix " + rb.prefix() + "); expected "
          + member.id() + " of fleet " + fleetId + " epoch " + epoch);
    }
    if (!rb.identityKey().equals(member.identityKey())) {
      throw new RetirementException(who + " names identity key " + shorten(rb.identityKey())
          + "; epoch " + epoch + "'s bundle lists " + shorten(member.identityKey()));
    }
    signature(env, member.identityKey(), who);
    if (!rb.left().isEmpty()) {
      throw new RetirementException(who + ": the token still holds " + rb.left().size()
          + " object(s) under " + rb.prefix() + ", first " + rb.left().get(0).describe());
    }
    return rb;
  }

  /**
   * Verifies the whole retirement of {@code bundle}'s epoch and returns its statement.
   *
   * @param operatorKey the operator's public point (hex) from the epoch's evidence; null to
   *                    take the statement's own (then only its signature is checked)
   */
  public static RetirementStatement verify(RetirementFile file, ValidationBundle bundle,
      String operatorKey) throws RetirementException, MalformedEvidenceException {
    Envelope env = file.statement();
    if (!RetirementStatement.PAYLOAD_TYPE.equals(env.payloadType())) {
      throw new RetirementException("retirement statement has payload type '"
          + env.payloadType() + "'; expected '" + RetirementStatement.PAYLOAD_TYPE + "'");
    }
    RetirementStatement st = Json.parse(env.payloadBytes(), RetirementStatement.class,
        "retirement statement");
    if (!RetirementStatement.SCHEMA.equals(st.schema()) || !st.fleetId().equals(bundle.fleetId())
        || st.epoch() != bundle.epoch() || !st.bundleHash().equals(bundle.hash().toHex())) {
      throw new RetirementException("retirement statement is for fleet " + st.fleetId()
          + " epoch " + st.epoch() + " bundle " + st.bundleHash() + "; expected fleet "
          + bundle.fleetId() + " epoch " + bundle.epoch() + " bundle " + bundle.hash().toHex());
    }
    if (operatorKey != null && !operatorKey.equals(st.operatorKey())) {
      throw new RetirementException("retirement statement names operator key "
          + shorten(st.operatorKey()) + "; epoch " + bundle.epoch() + "'s evidence names "
          + shorten(operatorKey));
    }
    signature(env, st.operatorKey(), "operator signature on the retirement statement");
    Map<String, Envelope> byHash = new HashMap<>();
    for (Envelope rb : file.readbacks()) {
      byHash.put(Sha256.hex(rb.payloadBytes()), rb);
    }
    List<BundleMember> members = bundle.members();
    if (st.members().size() != members.size() || file.readbacks().size() != members.size()) {
      throw new RetirementException("retirement statement binds " + st.members().size()
          + " read-backs and the file holds " + file.readbacks().size() + "; epoch "
          + bundle.epoch() + " has " + members.size() + " members");
    }
    for (int i = 0; i < members.size(); i++) {
      BundleMember m = members.get(i);
      RetirementStatement.Member s = st.members().get(i);
      Envelope rb = byHash.get(s.readbackHash());
      if (!s.memberId().equals(m.id()) || !s.identityKey().equals(m.identityKey()) || rb == null) {
        throw new RetirementException("retirement statement entry " + (i + 1) + " ("
            + s.memberId() + ", read-back " + s.readbackHash().substring(0, 16) + ") does not"
            + " match member " + m.id() + " of the bundle with a read-back in the file");
      }
      boolean bound = rb.signatures().stream().anyMatch(x -> x.sig().equals(s.signature()));
      if (!bound) {
        throw new RetirementException("the signature the statement binds for member " + m.id()
            + " is not on its read-back");
      }
      verifyReadback(rb, bundle.fleetId(), bundle.epoch(), m);
    }
    try {
      Instant.parse(st.time());
    } catch (DateTimeParseException e) {
      throw new RetirementException("retirement statement time '" + st.time() + "' is not RFC 3339");
    }
    return st;
  }

  /** The log entry for a verified statement. */
  public static RetirementEntry entry(RetirementFile file) throws MalformedEvidenceException {
    RetirementStatement st = Json.parse(file.statement().payloadBytes(), RetirementStatement.class,
        "retirement statement");
    return new RetirementEntry(st.fleetId(), st.epoch(),
        new Sha256Hash(HexFormat.of().parseHex(st.bundleHash())),
        new Sha256Hash(Sha256.hash(file.statement().payloadBytes())), st.records(),
        Instant.parse(st.time()));
  }

  /**
   * The cosigner's and the auditor's check of {@code file}: its entry must be the one logged, and
   * {@link #verify} must accept it; the operator key comes from {@code evidence} (the epoch's
   * deployment evidence, bound to the bundle by its payload hash) when given.
   */
  public static RetirementCheck check(RetirementFile file, Envelope evidence) {
    return (entry, retired) -> {
      try {
        if (!entry(file).equals(entry)) {
          throw new RetirementException("the retirement file's statement gives another log entry"
              + " than the one to check");
        }
        String operator = null;
        if (evidence != null) {
          byte[] payload = evidence.payloadBytes();
          if (!new Sha256Hash(Sha256.hash(payload)).equals(retired.evidence())) {
            throw new RetirementException("the evidence given is not epoch " + retired.epoch()
                + "'s (its payload hash differs from the bundle's evidence hash)");
          }
          operator = Json.parse(payload, EvidencePayload.class, "evidence").operator().publicKey();
        }
        RetirementStatement st = verify(file, retired, operator);
        return st.members().size() + " member read-backs and the operator signature verify"
            + (operator == null ? " (operator key as the statement names it; no evidence)"
                : " (operator key from the epoch's evidence)");
      } catch (RetirementException | MalformedEvidenceException | RuntimeException e) {
        throw new BundleRejectedException(BundleException.Reason.RETIREMENT_INVALID,
            "retirement of epoch " + retired.epoch() + ": " + e.getMessage(), e);
      }
    };
  }

  /** Checks that {@code env} carries a valid signature by {@code pointHex}. */
  static void signature(Envelope env, String pointHex, String who)
      throws RetirementException, MalformedEvidenceException {
    byte[] point;
    try {
      point = HexFormat.of().parseHex(pointHex);
    } catch (IllegalArgumentException e) {
      throw new RetirementException(who + ": key '" + shorten(pointHex) + "' is not hex");
    }
    String keyid = Sha256.hex(point);
    byte[] pae = env.pae();
    for (Envelope.Signature s : env.signatures()) {
      if (s.keyid().equals(keyid)) {
        try {
          if (EcdsaP256.verify(point, pae, Base64.getDecoder().decode(s.sig()))) {
            return;
          }
        } catch (IllegalArgumentException e) {
          throw new RetirementException(who + ": signature is not base64 DER");
        }
        throw new RetirementException(who + " does not verify (payload or signature altered)");
      }
    }
    throw new RetirementException(who + ": no signature by key " + keyid.substring(0, 16));
  }

  private static String shorten(String hex) {
    return hex.length() > 20 ? hex.substring(0, 16) + "..." : hex;
  }
}
