package dev.bkv.node.service;

import dev.bkv.node.store.UserId;

/**
 * The fleet's record key (DESIGN §3, {@code fleet/<id>/record}): wraps each user's sealed key
 * once more before it is stored, so a stolen database holds nothing a client's export key alone
 * could open. Implementations bind the associated data {@code user id ‖ fleet id ‖ epoch}.
 *
 * <p>Security contract: the key never leaves the HSM; {@link #open} fails for a blob that was
 * modified or moved to another user, fleet or epoch.
 */
public interface RecordKey {
  /** Encrypts {@code sealedKey} for {@code user} at {@code epoch}; returns a fresh blob. */
  byte[] wrap(UserId user, long epoch, byte[] sealedKey) throws ServiceException;

  /** Opens a blob made by {@link #wrap} for the same user and epoch. */
  byte[] open(UserId user, long epoch, byte[] blob) throws ServiceException;
}
