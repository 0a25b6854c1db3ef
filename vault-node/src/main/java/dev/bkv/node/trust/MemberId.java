package dev.bkv.node.trust;

import java.util.regex.Pattern;

/** The shape of a member id, as {@code node.peers} accepts it. */
final class MemberId {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private MemberId() {}

  static String check(String id) {
    if (id == null || !ID.matcher(id).matches()) {
      throw new IllegalArgumentException("member id is '" + id
          + "'; expected 1..64 of A-Z a-z 0-9 _ -");
    }
    return id;
  }
}
