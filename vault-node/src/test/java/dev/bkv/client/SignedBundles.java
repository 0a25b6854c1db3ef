package dev.bkv.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bkv.bundle.BundleMember;
import dev.bkv.bundle.Cosigner;
import dev.bkv.bundle.CosignedBundle;
import dev.bkv.bundle.Countersignature;
import dev.bkv.bundle.EvidenceCheck;
import dev.bkv.bundle.EvidenceFacts;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.ec.Scalar;
import dev.bkv.transparency.EcdsaNoteSigner;
import dev.bkv.transparency.Ed25519NoteSigner;
import dev.bkv.transparency.TileLogWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Real signed bundles for client tests, made by the project's own cosigner (an Ed25519 key and
 * a tlog-tiles log) and countersigned by a software ECDSA operator key. Deterministic; no HSM.
 * The evidence is an unsigned envelope of the right shape (the cosigner checks only the binding,
 * {@link EvidenceCheck#BINDING_ONLY}): evidence signatures are not what these tests are about.
 */
final class SignedBundles {

  static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  static final String FLEET = "app-fleet";

  final SecureRandom random;
  final Ed25519NoteSigner cosignerKey;
  final EcdsaNoteSigner operatorKey;

  SignedBundles(long seed) throws Exception {
    random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    cosignerKey = Ed25519NoteSigner.generate("cosigner.test/log", random);
    operatorKey = EcdsaNoteSigner.generate("operator.test", random);
  }

  /** A fleet: its AKE public key and its members' identity keys. */
  record Fleet(Point ake, List<BundleMember> members) {
    String akeHex() {
      return HexFormat.of().formatHex(ake.toUncompressed());
    }
  }

  Point point() {
    return P256.multiplyGenerator(Scalar.random(random));
  }

  Fleet fleet() {
    return new Fleet(point(), List.of(
        new BundleMember("m1", HexFormat.of().formatHex(point().toUncompressed())),
        new BundleMember("m2", HexFormat.of().formatHex(point().toUncompressed()))));
  }

  /** The shape of deployment evidence the cosigner reads the bundle's fields from. */
  static byte[] evidence(Fleet fleet, long epoch) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode payload = json.createObjectNode().put("schema", "bkv.dev/deployment-evidence/v1")
        .put("fleetId", FLEET).put("epoch", epoch);
    ArrayNode members = payload.putArray("members");
    for (BundleMember m : fleet.members()) {
      ObjectNode s = members.addObject().putObject("statement");
      s.put("memberId", m.id()).put("identityKey", m.identityKey());
      s.putArray("fleetKeys").addObject().put("label", "fleet/" + FLEET + "/ake")
          .put("publicValue", fleet.akeHex());
    }
    ObjectNode env = json.createObjectNode().put("payloadType", EvidenceFacts.PAYLOAD_TYPE)
        .put("payload", Base64.getEncoder().encodeToString(payload.toString()
            .getBytes(StandardCharsets.UTF_8)));
    env.putArray("signatures");
    return env.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The bundle of {@code epoch}: valid for 30 days from T0 + epoch days. */
  static ValidationBundle bundle(Fleet fleet, long epoch, ValidationBundle prev)
      throws Exception {
    Instant from = T0.plusSeconds(86400 * epoch);
    return new ValidationBundle(FLEET, epoch, from, from.plusSeconds(30 * 86400),
        prev == null ? null : prev.hash(),
        EvidenceFacts.read(evidence(fleet, epoch)).payloadHash(), fleet.akeHex(),
        fleet.members());
  }

  Cosigner cosigner(Path logDir) throws Exception {
    return Cosigner.open(logDir, cosignerKey, cosignerKey.verifierKey(),
        EvidenceCheck.BINDING_ONLY, TileLogWriter.StepHook.NONE);
  }

  /** Cosigned (and logged) by {@code c}, countersigned by the operator: a client's input. */
  CosignedBundle publish(Cosigner c, Fleet fleet, ValidationBundle b) throws Exception {
    CosignedBundle out = c.sign(b.toText(), evidence(fleet, b.epoch()));
    return out.withCountersignature(
        Countersignature.sign(out.parsedNote().signatures().get(0), operatorKey));
  }
}
