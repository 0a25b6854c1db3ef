package dev.bkv.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.bkv.evidence.KeySpace;
import dev.bkv.transparency.Sha256Hash;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;

/**
 * What a validation bundle takes from deployment evidence ({@code evidence.dsse.json}, a DSSE
 * envelope): the SHA-256 of the payload bytes, and from the payload the fleet id, epoch, the
 * fleet AKE public key and each member's identity key.
 *
 * <p>This reads the envelope; it does not check its signatures. Whoever cosigns must also run
 * the evidence verifier ({@code bkv evidence verify}) on the same file.
 */
public record EvidenceFacts(Sha256Hash payloadHash, String fleetId, long epoch, String akeKey,
    List<BundleMember> members) {

  /** The DSSE payload type of deployment evidence. */
  public static final String PAYLOAD_TYPE = "application/vnd.bkv.deployment-evidence+json";

  private static final ObjectMapper JSON = new ObjectMapper();

  public EvidenceFacts {
    members = List.copyOf(members);
  }

  /** Reads the envelope file's bytes. */
  public static EvidenceFacts read(byte[] envelope) throws MalformedBundleException {
    try {
      JsonNode env = JSON.readTree(envelope);
      if (env == null || !PAYLOAD_TYPE.equals(env.path("payloadType").asText())) {
        throw new MalformedBundleException("evidence envelope has payloadType '"
            + (env == null ? "" : env.path("payloadType").asText()) + "'; expected '"
            + PAYLOAD_TYPE + "'");
      }
      byte[] payload = Base64.getDecoder().decode(env.path("payload").asText());
      Sha256Hash hash = ValidationBundle.hashOf(payload);
      JsonNode p = JSON.readTree(payload);
      String fleetId = p.path("fleetId").asText();
      long epoch = p.path("epoch").asLong(-1);
      List<BundleMember> members = new ArrayList<>();
      String ake = null;
      String akeLabel;
      try {
        akeLabel = KeySpace.prefix(KeySpace.of(fleetId, epoch)) + "ake";
      } catch (IllegalArgumentException e) {
        throw new MalformedBundleException("evidence payload: " + e.getMessage());
      }
      for (JsonNode section : p.path("members")) {
        JsonNode s = section.path("statement");
        members.add(new BundleMember(s.path("memberId").asText(), s.path("identityKey").asText()));
        for (JsonNode k : s.path("fleetKeys")) {
          if (akeLabel.equals(k.path("label").asText())) {
            String value = k.path("publicValue").asText();
            if (ake != null && !ake.equals(value)) {
              throw new MalformedBundleException("evidence members disagree on the AKE key: "
                  + P256Points.shorten(ake) + " vs " + P256Points.shorten(value));
            }
            ake = value;
          }
        }
      }
      if (ake == null || members.isEmpty() || epoch < 1) {
        throw new MalformedBundleException("evidence payload lacks " + (ake == null
            ? "the fleet key " + akeLabel : members.isEmpty() ? "members" : "a valid epoch"));
      }
      members.sort(Comparator.comparing(BundleMember::id));
      return new EvidenceFacts(hash, fleetId, epoch, ake, members);
    } catch (IOException e) {
      throw new MalformedBundleException("evidence envelope is not JSON: "
          + e.getMessage().lines().findFirst().orElse(""), e);
    } catch (IllegalArgumentException e) {
      throw new MalformedBundleException("evidence envelope: " + e.getMessage(), e);
    }
  }

  /**
   * Checks that {@code bundle} is bound to this evidence: payload hash, fleet id, epoch, AKE key
   * and the exact member list.
   */
  public void requireMatches(ValidationBundle bundle) throws BundleRejectedException {
    List<String> diff = new ArrayList<>();
    if (!bundle.evidence().equals(payloadHash)) {
      diff.add("evidence hash " + bundle.evidence().toHex() + " is not the payload's "
          + payloadHash.toHex());
    }
    if (!bundle.fleetId().equals(fleetId) || bundle.epoch() != epoch) {
      diff.add("bundle is for fleet " + bundle.fleetId() + " epoch " + bundle.epoch()
          + " but the evidence for fleet " + fleetId + " epoch " + epoch);
    }
    if (!bundle.akeKey().equals(akeKey)) {
      diff.add("AKE key " + P256Points.shorten(bundle.akeKey()) + " is not the evidence's "
          + P256Points.shorten(akeKey));
    }
    if (!bundle.members().equals(members)) {
      diff.add("members " + bundle.members().stream().map(BundleMember::id).toList()
          + " differ from the evidence's " + members.stream().map(BundleMember::id).toList()
          + " (ids or identity keys)");
    }
    if (!diff.isEmpty()) {
      throw new BundleRejectedException(BundleException.Reason.EVIDENCE_MISMATCH,
          "bundle does not match its evidence: " + String.join("; ", diff));
    }
  }
}
