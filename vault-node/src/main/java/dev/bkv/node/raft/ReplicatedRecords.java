package dev.bkv.node.raft;

import dev.bkv.node.store.Command;
import dev.bkv.node.store.Outcome;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;

/**
 * The users' records as the vault service sees them: commands committed in one log per shard,
 * and linearizable reads. {@link ReplicatedStore} is the Raft-backed implementation.
 *
 * <p>Contract: {@link #commit} returns only once the command is durable (on a majority), with
 * the outcome computed by {@code RecordStore}'s rules at the log index returned. A command is
 * applied at most once; {@code REPLAYED} means it was applied before and its outcome is unknown,
 * so the caller must re-read. {@link #get} never returns state older than a commit that has
 * already returned to anyone. Both are thread-safe; a failure to reach the fleet is a {@link
 * ReplicationException}, after which the command may or may not have been applied.
 */
public interface ReplicatedRecords {
  /**
   * A command's outcome and the log index it was committed at (unique within the user's shard,
   * so it names one committed command; a record's generation is such an index).
   */
  record Committed(Outcome outcome, long index) {}

  /** Commits {@code command} durably and returns its outcome and log index. */
  Committed commit(Command command) throws ReplicationException;

  /**
   * Commits {@code command} without the caller waiting: the future completes with its outcome
   * (or fails). By default the command is committed before this returns.
   */
  default java.util.concurrent.CompletableFuture<Committed> commitInBackground(Command command) {
    try {
      return java.util.concurrent.CompletableFuture.completedFuture(commit(command));
    } catch (ReplicationException | RuntimeException e) {
      return java.util.concurrent.CompletableFuture.failedFuture(e);
    }
  }

  /** Linearizable read of a user's state. */
  UserState get(UserId user) throws ReplicationException;

  /**
   * This member's own replica of a user's state (possibly behind the leader): what the member
   * vouches for when it signs about it. By default the linearizable read.
   */
  default UserState getLocal(UserId user) throws ReplicationException {
    return get(user);
  }
}
