package dev.bkv.client;

import java.util.Map;

/**
 * One member's answer to Status.
 *
 * @param memberId the member
 * @param fleetId the fleet id its token serves
 * @param epoch the fleet epoch new records are sealed under
 * @param fleetPublicKey the compressed AKE public key (what clients pin)
 * @param attemptLimit guesses per record
 * @param loginEvaluations OPRF evaluations this member ran for the asked user since it started
 * @param shardLeaders shard number → leader member id ("" if none is known)
 */
public record MemberStatus(String memberId, String fleetId, long epoch, byte[] fleetPublicKey,
    int attemptLimit, long loginEvaluations, Map<String, String> shardLeaders) {
  public MemberStatus {
    fleetPublicKey = fleetPublicKey.clone();
    shardLeaders = Map.copyOf(shardLeaders);
  }

  @Override
  public byte[] fleetPublicKey() {
    return fleetPublicKey.clone();
  }
}
