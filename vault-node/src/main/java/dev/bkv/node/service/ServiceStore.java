package dev.bkv.node.service;

import dev.bkv.node.raft.ReplicatedRecords;
import dev.bkv.node.raft.ReplicatedRecords.Committed;
import dev.bkv.node.raft.ReplicationException;
import dev.bkv.node.api.ChannelError.Reason;
import dev.bkv.node.store.Command;
import dev.bkv.node.store.UserId;
import dev.bkv.node.store.UserState;

/** The replicated records as the service uses them: an unreachable fleet is UNAVAILABLE. */
final class ServiceStore {
  private final ReplicatedRecords records;

  ServiceStore(ReplicatedRecords records) {
    this.records = records;
  }

  Committed commit(Command c) throws ServiceException {
    try {
      return records.commit(c);
    } catch (ReplicationException e) {
      throw new ServiceException(Reason.UNAVAILABLE, "the fleet did not commit "
          + c.getClass().getSimpleName().toLowerCase() + " for " + c.userId() + ": "
          + e.getMessage(), e);
    }
  }

  /** {@link ReplicatedRecords#commitInBackground}: fails with the same UNAVAILABLE. */
  java.util.concurrent.CompletableFuture<Committed> commitInBackground(Command c) {
    return records.commitInBackground(c);
  }

  UserState read(UserId user) throws ServiceException {
    try {
      return records.get(user);
    } catch (ReplicationException e) {
      throw new ServiceException(Reason.UNAVAILABLE, "reading " + user + " failed: "
          + e.getMessage(), e);
    }
  }
}
