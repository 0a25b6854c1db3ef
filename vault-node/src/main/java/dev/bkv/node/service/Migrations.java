package dev.bkv.node.service;

import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.raft.ReplicatedRecords;
import dev.bkv.node.raft.ReplicationException;
import dev.bkv.node.store.ClosureReceipts;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.List;

/**
 * A member's part in migrations between fleet epochs (DESIGN §11). On the earlier fleet it signs
 * closure receipts for records its own replica shows closed; on the next fleet it makes a staged
 * registration live once the receipts of a majority of the earlier fleet's members prove the
 * closure (checked here to fail fast, and again by every replica when the command applies).
 */
public final class Migrations {
  /** Signs with the member's Raft credential. */
  @FunctionalInterface
  public interface Signer {
    byte[] sign(byte[] message) throws GeneralSecurityException;
  }

  /** A receipt as the member gives it out. */
  public record Receipt(String memberId, String fleetId, long epoch, byte[] successor,
      int attempts, byte[] signature) {}

  private final ReplicatedRecords records;
  private final String memberId;
  private final String fleetId;
  private final long epoch;
  private final Signer signer;
  private final ClosureReceipts.Check predecessor;
  private final Clock clock;

  /**
   * {@code signer} may be null (a member without a Raft credential signs no receipts);
   * {@code predecessor} is the earlier fleet whose receipts activate staged registrations.
   */
  public Migrations(ReplicatedRecords records, String memberId, String fleetId, long epoch,
      Signer signer, ClosureReceipts.Check predecessor, Clock clock) {
    this.records = records;
    this.memberId = memberId;
    this.fleetId = fleetId;
    this.epoch = epoch;
    this.signer = signer;
    this.predecessor = predecessor;
    this.clock = clock;
  }

  /**
   * A member that takes part in no migration: it signs no receipts and proves no closure, so it
   * refuses both before reading or committing anything.
   */
  public static Migrations none(String memberId) {
    return new Migrations(null, memberId, "", 0, null, ClosureReceipts.Check.NONE,
        Clock.systemUTC());
  }

  /** This member's receipt for {@code user}'s record, if its own replica shows it closed. */
  public Receipt receipt(UserId user) throws ServiceException {
    if (signer == null) {
      throw new ServiceException(Reason.FORBIDDEN, "member " + memberId + " has no Raft "
          + "credential and signs no closure receipts");
    }
    UserState state;
    try {
      state = records.getLocal(user);
    } catch (ReplicationException e) {
      throw new ServiceException(Reason.UNAVAILABLE, "reading " + user + " from this member's "
          + "replica failed: " + e.getMessage(), e);
    }
    if (!(state instanceof UserState.Closed c)) {
      throw new ServiceException(Reason.NOT_CLOSED, "member " + memberId + "'s replica holds no "
          + "record of " + user + " closed for a migration (yet)");
    }
    byte[] message = ClosureReceipts.message(fleetId, epoch, user, c.successor(), c.attempts());
    try {
      return new Receipt(memberId, fleetId, epoch, c.successor(), c.attempts(),
          signer.sign(message));
    } catch (GeneralSecurityException e) {
      throw new ServiceException(Reason.FAULT, "signing the closure receipt of " + user
          + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * Makes {@code user}'s staged registration named {@code successor} live with {@code attempts}
   * used; returns the attempts it has left.
   */
  public int activate(UserId user, byte[] successor, int attempts,
      List<ClosureReceipts.Receipt> receipts) throws ServiceException {
    if (!predecessor.proves(user, successor, attempts, receipts)) {
      throw new ServiceException(Reason.NOT_CLOSED, "the closure receipts for " + user
          + " do not prove its record closed on the earlier fleet (a majority of its members"
          + " must sign; this member accepts migrations only from node.migration.from.*)");
    }
    Outcome o;
    try {
      o = records.commit(new Command.Activate(user, clock.millis(), successor, attempts,
          ClosureReceipts.encode(receipts))).outcome();
    } catch (ReplicationException e) {
      throw new ServiceException(Reason.UNAVAILABLE, "the fleet did not commit the activation"
          + " of " + user + ": " + e.getMessage(), e);
    }
    return switch (o.status()) {
      case OK -> o.record().map(r -> r.attemptsLeft()).orElse(0);
      case EXISTS -> throw new ServiceException(Reason.EXISTS, user + " already has a live "
          + "record here; nothing to activate");
      case CONFLICT -> throw new ServiceException(Reason.CHANGED, "the staged registration of "
          + user + " is not the one the closure names; migrate again");
      case UNPROVEN -> throw new ServiceException(Reason.NOT_CLOSED, "the replicas found the"
          + " closure receipts for " + user + " insufficient");
      default -> throw new ServiceException(Reason.NOT_CLOSED, "no staged registration of "
          + user + " to activate (" + o.status() + ")");
    };
  }
}
