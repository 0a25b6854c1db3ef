package dev.bkv.bundle;

import java.util.regex.Pattern;

/**
 * One fleet member as a validation bundle lists it.
 *
 * @param id the member id (1..64 of {@code A-Z a-z 0-9 . _ -})
 * @param identityKey the member's identity public key: uncompressed P-256 point, lowercase hex
 */
public record BundleMember(String id, String identityKey) {

  static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  public BundleMember {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("member id '" + id
          + "' is invalid; expected 1..64 characters of A-Z a-z 0-9 . _ -");
    }
    String problem = P256Points.problem(identityKey);
    if (problem != null) {
      throw new IllegalArgumentException("identity key of member " + id + " " + problem);
    }
  }
}
