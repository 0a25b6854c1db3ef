package dev.bkv.node.raft;

import dev.bkv.node.store.ClosureReceipts;
import dev.bkv.node.store.UserId;
import dev.bkv.node.trust.MemberCredential;
import dev.bkv.node.trust.MemberRoster;
import dev.bkv.node.trust.RosterEntry;
import java.security.GeneralSecurityException;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The fleet epoch records migrate from (DESIGN §11), as the next fleet's replicas know it: its
 * id, epoch and member roster (the Raft certificates its members sign receipts with). A closure
 * is proven by valid receipts from more than half of its members, so no minority of its hosts
 * can make a staged registration live while the record it replaces still answers logins.
 */
public record PredecessorFleet(String fleetId, long epoch, MemberRoster roster)
    implements ClosureReceipts.Check {

  @Override
  public boolean proves(UserId user, byte[] successor, int attempts,
      List<ClosureReceipts.Receipt> receipts) {
    byte[] message = ClosureReceipts.message(fleetId, epoch, user, successor, attempts);
    Set<String> signed = new HashSet<>();
    for (ClosureReceipts.Receipt r : receipts) {
      Optional<RosterEntry> member = roster.entry(r.memberId());
      if (member.isEmpty() || signed.contains(r.memberId())) {
        continue;
      }
      try {
        if (MemberCredential.verify(member.get().certificate().getPublicKey(), message,
            r.signature())) {
          signed.add(r.memberId());
        }
      } catch (GeneralSecurityException e) {
        // a malformed signature counts for nothing
      }
    }
    return signed.size() > roster.ids().size() / 2;
  }
}
