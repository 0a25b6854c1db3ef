package dev.bkv.bundle.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bkv.bundle.BundleMember;
import dev.bkv.bundle.CosignedBundle;
import dev.bkv.bundle.Cosigner;
import dev.bkv.bundle.Countersignature;
import dev.bkv.bundle.EvidenceCheck;
import dev.bkv.bundle.EvidenceFacts;
import dev.bkv.bundle.ValidationBundle;
import dev.bkv.crypto.EcdsaP256;
import dev.bkv.evidence.FleetKey;
import dev.bkv.transparency.EcdsaNoteSigner;
import dev.bkv.transparency.Ed25519NoteSigner;
import dev.bkv.transparency.TileLogWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Keys, evidence and bundles for tests (fleet-provisioner's own, and clients' in vault-node,
 * through this module's test-jar): deterministic from a seed, no HSM. The cosigner is the
 * project's own (an Ed25519 key and a tlog-tiles log), the operator a software ECDSA key. The
 * evidence is an unsigned envelope of the right shape: the cosigner is opened with {@link
 * EvidenceCheck#BINDING_ONLY}, since evidence signatures are not what these tests are about.
 */
public final class BundleFixture {

  public static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");
  public static final String FLEET = "dev-fleet";

  public final SecureRandom random;
  public final Ed25519NoteSigner cosignerKey;
  public final EcdsaNoteSigner operatorKey;

  public BundleFixture(long seed) throws Exception {
    random = SecureRandom.getInstance("SHA1PRNG");
    random.setSeed(seed);
    cosignerKey = Ed25519NoteSigner.generate("cosigner.test/log", random);
    operatorKey = EcdsaNoteSigner.generate("operator.test", random);
  }

  /** A random P-256 point, uncompressed hex. */
  public String point() {
    BigInteger k = new BigInteger(250, random).add(BigInteger.ONE);
    return HexFormat.of().formatHex(EcdsaP256.DOMAIN.getG().multiply(k).normalize()
        .getEncoded(false));
  }

  /** A fleet state: AKE key and members (id, identity key). */
  public record Fleet(String ake, List<BundleMember> members) {}

  /** A fleet with a random AKE key and members {@code member-1..n}. */
  public Fleet fleet(int members) {
    List<BundleMember> list = new ArrayList<>();
    for (int i = 1; i <= members; i++) {
      list.add(new BundleMember("member-" + i, point()));
    }
    return new Fleet(point(), list);
  }

  /** A DSSE envelope in the shape of deployment evidence (unsigned: the cosigner reads it). */
  public static byte[] evidence(Fleet fleet, long epoch) {
    ObjectMapper json = new ObjectMapper();
    ObjectNode payload = json.createObjectNode().put("schema", "bkv.dev/deployment-evidence/v2")
        .put("fleetId", FLEET).put("epoch", epoch);
    ArrayNode members = payload.putArray("members");
    for (BundleMember m : fleet.members()) {
      ObjectNode s = members.addObject().putObject("statement");
      s.put("memberId", m.id()).put("identityKey", m.identityKey());
      s.putArray("fleetKeys").addObject().put("label", dev.bkv.evidence.KeySpace.prefix(dev.bkv.evidence.KeySpace.of(FLEET, epoch)) + "ake")
          .put("publicValue", fleet.ake());
    }
    ObjectNode env = json.createObjectNode().put("payloadType", EvidenceFacts.PAYLOAD_TYPE)
        .put("payload", Base64.getEncoder().encodeToString(payload.toString()
            .getBytes(StandardCharsets.UTF_8)));
    env.putArray("signatures");
    return env.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** The bundle of {@code epoch}, valid 30 days from T0 + epoch days. */
  public static ValidationBundle bundle(Fleet fleet, long epoch, ValidationBundle prev)
      throws Exception {
    Instant from = T0.plusSeconds(86400 * epoch);
    return new ValidationBundle(FLEET, epoch, from, from.plusSeconds(30 * 86400),
        prev == null ? null : prev.hash(),
        EvidenceFacts.read(evidence(fleet, epoch)).payloadHash(), fleet.ake(), fleet.members());
  }

  public Cosigner cosigner(Path dir) throws Exception {
    return Cosigner.open(dir, cosignerKey, cosignerKey.verifierKey(), EvidenceCheck.BINDING_ONLY,
        TileLogWriter.StepHook.NONE);
  }

  /** Cosigned (and logged) by {@code c}, countersigned by the operator: a client's input. */
  public CosignedBundle publish(Cosigner c, Fleet fleet, ValidationBundle b) throws Exception {
    CosignedBundle out = c.sign(b.toText(), evidence(fleet, b.epoch()));
    var cosig = out.parsedNote().signatures().get(0);
    return out.withCountersignature(Countersignature.sign(cosig, operatorKey));
  }
}
