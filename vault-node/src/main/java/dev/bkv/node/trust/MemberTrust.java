package dev.bkv.node.trust;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * What a member (or a member's own Raft client) needs to take part in Raft: the pinned roster
 * and its own credential, which must be the roster's entry for its id.
 *
 * @param roster the fleet's members
 * @param credential this member's Raft TLS key and certificate
 */
public record MemberTrust(MemberRoster roster, MemberCredential credential) {
  public MemberTrust {
    RosterEntry own = roster.entry(credential.memberId()).orElseThrow(() ->
        new IllegalArgumentException("the Raft certificate names member '"
            + credential.memberId() + "', which is not in the member roster " + roster.ids()));
    if (!own.certificate().equals(credential.certificate())) {
      throw new IllegalArgumentException("the Raft certificate of member '"
          + credential.memberId() + "' is not the one the member roster pins for it");
    }
  }

  /**
   * Loads the roster and the credential and checks them against the fleet: the roster's ids
   * must be exactly {@code peerIds}, and a member ({@code selfId} not null) must hold its own
   * credential.
   */
  public static MemberTrust load(Path roster, Path cert, Path key, Collection<String> peerIds,
      String selfId) throws RosterException {
    MemberRoster r = MemberRoster.load(roster);
    Set<String> peers = new TreeSet<>(peerIds);
    if (!new TreeSet<>(r.ids()).equals(peers)) {
      throw new RosterException("member roster " + roster + " lists members "
          + new TreeSet<>(r.ids()) + "; node.peers lists " + peers);
    }
    MemberCredential c = MemberCredential.load(cert, key);
    if (selfId != null && !selfId.equals(c.memberId())) {
      throw new RosterException("node.raft.tls.cert " + cert + " is for member '"
          + c.memberId() + "'; node.id is '" + selfId + "'");
    }
    try {
      return new MemberTrust(r, c);
    } catch (IllegalArgumentException e) {
      throw new RosterException(e.getMessage(), e);
    }
  }

  public RosterTrustManager trustManager() {
    return new RosterTrustManager(roster, Clock.systemUTC());
  }
}
