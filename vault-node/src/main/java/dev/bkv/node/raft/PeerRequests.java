package dev.bkv.node.raft;

import dev.bkv.node.store.RecordView;

/**
 * Answers peers' key share requests ({@link Query.Partial}, {@link Query.Generate}) from this
 * replica's applied state (DESIGN §10). Called by the state machine once the replica has applied
 * the request's index; must not throw for a refusal (answer {@link PeerAnswer#refused}).
 */
public interface PeerRequests {
  /** Refuses every request: a replica that serves no key shares (tools, tests). */
  PeerRequests NONE = (q, view) -> PeerAnswer.refused("this replica serves no key shares");

  PeerAnswer answer(Query q, RecordView view);
}
