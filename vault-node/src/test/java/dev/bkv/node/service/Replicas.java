package dev.bkv.node.service;

import dev.bkv.node.raft.ReplicatedStore;
import dev.bkv.node.raft.ReplicationException;
import dev.bkv.node.store.UserId;
import dev.bkv.node.testing.Polling;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** What the fleet tests ask of every replica: how far each has applied, and whether they agree. */
final class Replicas {
  private Replicas() {}

  /** Each member's applied index in shard 0, in {@code ids} order (stale reads, no leader). */
  static long[] appliedIndexes(ReplicatedStore raft, List<String> ids)
      throws ReplicationException {
    long[] out = new long[ids.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = raft.status(ids.get(i), 0).appliedIndex();
    }
    return out;
  }

  /**
   * Waits until every replica has applied the same index and holds byte-identical state for
   * {@code user}, the index unchanged across the reads.
   */
  static void awaitAgreement(ReplicatedStore raft, List<String> ids, byte[] user,
      Duration timeout) throws Exception {
    Polling.until(timeout, "every replica at the same applied index, holding the same record",
        () -> {
          long[] idx = appliedIndexes(raft, ids);
          if (Arrays.stream(idx).distinct().count() != 1) {
            return false;
          }
          byte[] ref = raft.getFrom(ids.get(0), new UserId(user)).toBytes();
          for (String m : ids) {
            if (!Arrays.equals(ref, raft.getFrom(m, new UserId(user)).toBytes())) {
              return false;
            }
          }
          return Arrays.equals(idx, appliedIndexes(raft, ids));
        });
  }
}
