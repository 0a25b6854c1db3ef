package dev.bkv.evidence;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.Pkcs11Token;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/** Reads a member's token into a {@link MemberStatement} and signs it with the identity key. */
public final class MemberStatements {
  private MemberStatements() {}

  /** Reads the token back and signs the statement in the HSM. */
  public static MemberSection readAndSign(Pkcs11Token token, String fleetId, long epoch, String role)
      throws HsmException {
    MemberStatement st = read(token, fleetId, epoch, role);
    return sign(st, token.keys().findEcP256(FleetKey.MEMBER_IDENTITY));
  }

  /** Signs {@code statement} with {@code identity} (in its HSM): the proof of possession. */
  public static MemberSection sign(MemberStatement statement, EcPrivateKey identity) throws HsmException {
    byte[] sig = EcdsaP256.derFromRaw(identity.signEcdsa(Json.canonical(statement)));
    return new MemberSection(statement, Base64.getEncoder().encodeToString(sig));
  }

  /**
   * Reads the token: info, full inventory, member keys and every fleet key's value (EC keys are
   * checked against their public point in the HSM).
   */
  public static MemberStatement read(Pkcs11Token token, String fleetId, long epoch, String role)
      throws HsmException {
    EcPrivateKey identity = token.keys().findEcP256(FleetKey.MEMBER_IDENTITY);
    String memberId = new String(identity.id(), StandardCharsets.UTF_8);
    byte[] transport = token.keys().findRsa(FleetKey.MEMBER_TRANSPORT).publicKey().encoded();
    List<FleetKeyValue> values = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    for (FleetKey k : FleetKey.values()) {
      values.add(KeyChecks.value(token, fleetId, k));
      if (k.isEc()) {
        checks.add(k.label(fleetId) + ": x(k*G) equals the public point's x");
      }
    }
    values.sort(Comparator.comparing(FleetKeyValue::label));
    List<InventoryEntry> inventory = new ArrayList<>(
        token.inventory().stream().map(InventoryEntry::of).toList());
    inventory.sort(Comparator.comparing(InventoryEntry::sortKey));
    return new MemberStatement(MemberStatement.SCHEMA, fleetId, epoch, memberId, role,
        token.info().description(), HexFormat.of().formatHex(identity.publicKey().point()),
        Sha256.hex(transport), values, inventory, noAttestation(), checks);
  }

  /** Whether the section's proof of possession verifies under its own identity key. */
  public static boolean proofVerifies(MemberSection section) {
    try {
      byte[] point = HexFormat.of().parseHex(section.statement().identityKey());
      byte[] sig = Base64.getDecoder().decode(section.proofOfPossession());
      return EcdsaP256.verify(point, Json.canonical(section.statement()), sig);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** {@code {"format":"none"}}: what SoftHSM2 (and any token without attestation) gives. */
  public static ObjectNode noAttestation() {
    return JsonNodeFactory.instance.objectNode().put("format", "none");
  }
}
