package dev.bkv.evidence;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.bkv.crypto.EcdsaP256;
import dev.bkv.crypto.Sha256;
import dev.bkv.pkcs11.EcPrivateKey;
import dev.bkv.pkcs11.HsmException;
import dev.bkv.pkcs11.ObjectClass;
import dev.bkv.pkcs11.ObjectInfo;
import dev.bkv.pkcs11.Pkcs11Token;
import dev.bkv.pkcs11.ShareWrapKey;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.TreeSet;

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
   * Reads the token: info, full inventory, member keys, every fleet key's value (EC keys are
   * checked against their public point in the HSM) and the check value of every group wrap key
   * of the OPRF key shares it holds.
   */
  public static MemberStatement read(Pkcs11Token token, String fleetId, long epoch, String role)
      throws HsmException {
    EcPrivateKey identity = token.keys().findEcP256(FleetKey.MEMBER_IDENTITY);
    String memberId = new String(identity.id(), StandardCharsets.UTF_8);
    byte[] transport = token.keys().findRsa(FleetKey.MEMBER_TRANSPORT).publicKey().encoded();
    String space = FleetKey.space(fleetId, epoch);
    List<FleetKeyValue> values = new ArrayList<>();
    List<String> checks = new ArrayList<>();
    for (FleetKey k : FleetKey.values()) {
      values.add(KeyChecks.value(token, space, k));
      if (k.isEc()) {
        checks.add(k.label(space) + ": x(k*G) equals the public point's x");
      }
    }
    values.sort(Comparator.comparing(FleetKeyValue::label));
    List<ShareKeyValue> shares = shareKeys(token, space);
    if (!shares.isEmpty()) {
      checks.add(shares.size() + " group wrap keys: known-answer wrap computed in the HSM");
    }
    List<InventoryEntry> inventory = new ArrayList<>(
        token.inventory().stream().map(InventoryEntry::of).toList());
    inventory.sort(Comparator.comparing(InventoryEntry::sortKey));
    return new MemberStatement(MemberStatement.SCHEMA, fleetId, epoch, memberId, role,
        token.info().description(), HexFormat.of().formatHex(identity.publicKey().point()),
        Sha256.hex(transport), values, shares, inventory, noAttestation(), checks);
  }

  /** Every secret key under {@code fleet/<space>/oprf-share/} with its check value, by label. */
  static List<ShareKeyValue> shareKeys(Pkcs11Token token, String space) throws HsmException {
    String prefix = ShareLayout.labelPrefix(space);
    TreeSet<String> labels = new TreeSet<>();
    for (ObjectInfo o : token.inventory()) {
      if (o.objectClass() == ObjectClass.SECRET_KEY && o.label().startsWith(prefix)) {
        labels.add(o.label());
      }
    }
    List<ShareKeyValue> out = new ArrayList<>();
    for (String label : labels) {
      String check = new ShareWrapKey(token.keys().findAes(label)).checkValue();
      out.add(new ShareKeyValue(label.substring(prefix.length()), label, check, ShareKeyValue.CHECK));
    }
    return out;
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
