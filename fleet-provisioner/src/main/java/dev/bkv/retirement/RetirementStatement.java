package dev.bkv.retirement;

import java.util.List;
import java.util.Objects;

/**
 * The operator's retirement statement, signed (DSSE, {@link #PAYLOAD_TYPE}) by its HSM key:
 * epoch {@code epoch} of {@code fleetId}, whose bundle hashes to {@code bundleHash}, is retired;
 * each member's read-back (payload hash and signature) shows its keys gone.
 *
 * @param records     the records the fleet still held when the operator retired the epoch
 * @param operatorKey the operator key's public point, hex (its DSSE keyid is the SHA-256 of it)
 */
public record RetirementStatement(String schema, String fleetId, long epoch, String bundleHash,
    long records, String time, String operatorKey, List<Member> members) {

  public static final String SCHEMA = "bkv.dev/fleet-retirement-statement/v1";
  public static final String PAYLOAD_TYPE = "application/vnd.bkv.fleet-retirement+json";

  /**
   * One member's read-back as the statement binds it.
   *
   * @param readbackHash hex SHA-256 of the read-back's DSSE payload
   * @param signature    the member's DSSE signature on it (base64 DER)
   */
  public record Member(String memberId, String identityKey, String readbackHash,
      String signature) {
    public Member {
      Objects.requireNonNull(memberId, "memberId");
      Objects.requireNonNull(identityKey, "identityKey");
      Objects.requireNonNull(readbackHash, "readbackHash");
      Objects.requireNonNull(signature, "signature");
    }
  }

  public RetirementStatement {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(fleetId, "fleetId");
    Objects.requireNonNull(bundleHash, "bundleHash");
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(operatorKey, "operatorKey");
    members = List.copyOf(Objects.requireNonNull(members, "members"));
  }
}
