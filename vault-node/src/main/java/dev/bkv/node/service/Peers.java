package dev.bkv.node.service;

import dev.bkv.node.raft.PeerAnswer;
import dev.bkv.node.raft.Query;
import dev.bkv.node.store.UserId;

/** Reaches other members for key share work (DESIGN §10); over the member channel in a fleet. */
interface Peers {
  /**
   * {@code query} about {@code user} to {@code member}; a partial evaluation is answered once
   * that member has applied the index it names.
   */
  PeerAnswer ask(String member, UserId user, Query query) throws ServiceException;

  /**
   * The member last seen leading the user's shard, if known: it learns of a commit first, so it
   * answers a partial for a fresh attempt without waiting for the commit to reach it.
   */
  default java.util.Optional<String> leader(UserId user) {
    return java.util.Optional.empty();
  }
}
