package dev.bkv.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.bkv.pkcs11.TokenDescription;
import java.util.List;
import java.util.Objects;

/**
 * What one member's token looks like after the ceremony, read back from the token and signed by
 * the member's identity key (the proof of possession, see {@link MemberSection}).
 *
 * @param role            {@code genesis} (generated the fleet keys) or {@code member}
 * @param identityKey     {@code member/identity} public point, hex
 * @param transportKey    SHA-256 (hex) of the {@code member/transport} RSA modulus
 * @param fleetKeys       the fleet keys' public values and fingerprints, sorted by label
 * @param shareKeys       the group wrap keys of the OPRF key shares this member holds, with their
 *                        check values, sorted by label
 * @param inventory       every object on the token with its attributes, sorted
 * @param attestation     vendor attestation; {@code {"format":"none"}} for SoftHSM2
 * @param checks          checks the member ran in its HSM before signing
 */
public record MemberStatement(String schema, String fleetId, long epoch, String memberId,
                              String role, TokenDescription token, String identityKey,
                              String transportKey, List<FleetKeyValue> fleetKeys,
                              List<ShareKeyValue> shareKeys,
                              List<InventoryEntry> inventory, JsonNode attestation,
                              List<String> checks) {
  public static final String SCHEMA = "bkv.dev/member-statement/v2";

  public MemberStatement {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(fleetId, "fleetId");
    Objects.requireNonNull(memberId, "memberId");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(identityKey, "identityKey");
    Objects.requireNonNull(transportKey, "transportKey");
    Objects.requireNonNull(attestation, "attestation");
    fleetKeys = List.copyOf(Objects.requireNonNull(fleetKeys, "fleetKeys"));
    shareKeys = List.copyOf(shareKeys == null ? List.of() : shareKeys);
    inventory = List.copyOf(Objects.requireNonNull(inventory, "inventory"));
    checks = List.copyOf(checks == null ? List.of() : checks);
  }
}
