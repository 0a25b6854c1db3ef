package dev.bkv.evidence;

import java.util.Objects;

/**
 * A member's statement with its proof of possession: the member identity key's ECDSA P-256
 * signature (DER, standard base64) over the statement's canonical JSON bytes, made in its HSM.
 */
public record MemberSection(MemberStatement statement, String proofOfPossession) {
  public MemberSection {
    Objects.requireNonNull(statement, "statement");
    Objects.requireNonNull(proofOfPossession, "proofOfPossession");
  }
}
