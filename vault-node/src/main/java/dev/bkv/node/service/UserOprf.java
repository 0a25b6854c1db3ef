package dev.bkv.node.service;

import dev.bkv.ec.Point;
import dev.bkv.node.raft.Query;
import dev.bkv.node.store.KeyShares;
import dev.bkv.node.store.UserId;

/**
 * The per-user OPRF keys as the vault service uses them (DESIGN §10): fresh key shares for a new
 * record, and {@code k_u·B} for a committed attempt or begun registration, combined on this
 * member from its own shares and its peers' partials.
 */
interface UserOprf {
  /** Fresh shares for every share set, each generated in the HSM of a member that holds it. */
  KeyShares newShares(UserId user) throws ServiceException;

  /**
   * {@code k_u·b} for the shares of the attempt ({@link Query.Purpose#LOGIN}) or registration
   * committed at {@code index}, which must have committed {@code b}. The peers' partials come
   * first; {@code beforeHsm} runs once they are all in, before this member's HSM evaluates
   * anything (where the evaluation log is written), and not at all if a peer fails.
   */
  Point evaluate(UserId user, Query.Purpose purpose, long index, Point b, KeyShares shares,
      BeforeHsm beforeHsm) throws ServiceException;

  /** The same round trip and work for a user without a record; the result is discarded. */
  void evaluateUnknown(UserId user, long index, Point b, BeforeHsm beforeHsm)
      throws ServiceException;

  /** What runs between the peers' answers and this member's own HSM work. */
  @FunctionalInterface
  interface BeforeHsm {
    BeforeHsm NONE = () -> { };

    void run() throws ServiceException;
  }
}
