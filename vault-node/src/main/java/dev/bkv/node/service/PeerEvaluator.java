package dev.bkv.node.service;

import dev.bkv.crypto.Sha256;
import dev.bkv.ec.P256;
import dev.bkv.ec.Point;
import dev.bkv.node.raft.PeerAnswer;
import dev.bkv.node.raft.PeerRequests;
import dev.bkv.node.raft.Query;
import dev.bkv.node.store.KeyShares;
import dev.bkv.node.store.KeyState;
import dev.bkv.node.store.PendingRegistration;
import dev.bkv.node.store.RecordView;
import dev.bkv.node.store.StoreException;
import dev.bkv.node.store.UserRecord;
import dev.bkv.node.store.UserState;
import dev.bkv.recovery.BadInputException;
import dev.bkv.recovery.InternalFaultException;
import java.io.IOException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The peer side of the per-user OPRF keys (DESIGN §10): answers other members' requests from
 * this replica's applied state, with this member's HSM. The rules, each checked before any HSM
 * operation:
 *
 * <ul>
 *   <li>A login partial only for an attempt committed on the user's current record since its
 *       last reset, at exactly that log index, on exactly the blinded element that attempt
 *       committed, on that record's shares; a registration partial only for the user's pending
 *       {@code Begin} at that index, on its element and its shares.</li>
 *   <li>Once per user, purpose and index, durably ({@link PartialLedger}); each partial is a
 *       line in the evaluation log.</li>
 *   <li>Only sets this member holds. A user without a record or registration gets the same HSM
 *       work on a throwaway share, so the time taken does not tell whether the user exists.</li>
 * </ul>
 */
public final class PeerEvaluator implements PeerRequests {
  private final ShareKeys keys;
  private final PartialLedger ledger;
  private final EvaluationCounter evaluations;

  PeerEvaluator(ShareKeys keys, PartialLedger ledger, EvaluationCounter evaluations) {
    this.keys = keys;
    this.ledger = ledger;
    this.evaluations = evaluations;
  }

  @Override
  public PeerAnswer answer(Query q, RecordView view) {
    try {
      if (q instanceof Query.Generate g) {
        KeyShares.Share s = keys.generate(g.set());
        return new PeerAnswer(PeerAnswer.Status.OK, "", List.of(new PeerAnswer.Entry(g.set(),
            new KeyShares(List.of(s)).toBytes())));
      }
      if (q instanceof Query.Partial p) {
        return partial(p, view);
      }
      return PeerAnswer.refused("not a key share request");
    } catch (InternalFaultException | StoreException | IOException e) {
      return PeerAnswer.refused("member " + keys.memberId() + " failed: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return PeerAnswer.refused(e.getMessage());
    }
  }

  private PeerAnswer partial(Query.Partial p, RecordView view)
      throws InternalFaultException, StoreException, IOException {
    Point b;
    try {
      b = P256.decodeCompressed(p.element(), "blinded element");
    } catch (BadInputException e) {
      return PeerAnswer.refused(e.getMessage());
    }
    for (String set : p.sets()) {
      if (!keys.heldSets().contains(set)) {
        return PeerAnswer.refused("member " + keys.memberId() + " does not hold share set "
            + set);
      }
    }
    byte[] element = Sha256.hash(p.element());
    KeyShares shares;
    byte[] committed;
    String what = p.purpose() == Query.Purpose.LOGIN ? "attempt" : "registration";
    if (p.purpose() == Query.Purpose.LOGIN) {
      UserState s = view.get(p.userId());
      if (!(s instanceof UserState.Present present)) {
        return unknown(p, b);
      }
      UserRecord rec = present.record();
      KeyState.Attempt attempt = rec.keys().attempt(p.index()).orElse(null);
      if (attempt == null) {
        return PeerAnswer.refused("index " + p.index() + " is not an attempt on " + p.userId()
            + "'s record since its last reset");
      }
      shares = rec.shares();
      committed = attempt.element();
    } else {
      PendingRegistration pending = view.pending(p.userId()).orElse(null);
      if (pending == null) {
        return unknown(p, b);
      }
      if (pending.index() != p.index()) {
        return PeerAnswer.refused("index " + p.index() + " is not the pending registration of "
            + p.userId() + " (that is " + pending.index() + ")");
      }
      shares = pending.shares();
      committed = pending.element();
    }
    if (!MessageDigest.isEqual(committed, element)) {
      return PeerAnswer.refused("the blinded element is not the one the " + what + " at index "
          + p.index() + " committed");
    }
    List<KeyShares.Share> chosen = new ArrayList<>();
    for (String set : p.sets()) {
      KeyShares.Share share = shares.share(set).orElse(null);
      if (share == null) {
        return PeerAnswer.refused("the " + what + " of " + p.userId() + " has no share for set "
            + set);
      }
      chosen.add(share);
    }
    if (!ledger.claim(p.userId(), p.purpose(), p.index())) {
      return PeerAnswer.refused("member " + keys.memberId() + " already answered the " + what
          + " of " + p.userId() + " at index " + p.index() + " (or a later one)");
    }
    evaluations.countPartial(p.userId(), p.purpose().name().toLowerCase(), p.index(),
        p.sets().size());
    List<PeerAnswer.Entry> out = new ArrayList<>();
    for (KeyShares.Share share : chosen) {
      out.add(new PeerAnswer.Entry(share.set(), keys.evaluate(share, b).toCompressed()));
    }
    return new PeerAnswer(PeerAnswer.Status.OK, "", out);
  }

  /** No record or registration: the same HSM work on throwaway shares, answered UNKNOWN. */
  private PeerAnswer unknown(Query.Partial p, Point b) throws InternalFaultException {
    for (String set : p.sets()) {
      keys.evaluateThrowaway(set, b);
    }
    return PeerAnswer.unknown();
  }
}
