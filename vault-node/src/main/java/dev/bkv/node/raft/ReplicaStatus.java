package dev.bkv.node.raft;

import dev.bkv.node.store.MalformedMessageException;
import dev.bkv.node.store.WireReader;
import dev.bkv.node.store.WireWriter;

/**
 * One replica's progress in one shard.
 *
 * @param appliedIndex last log index the state machine applied (-1 if none)
 * @param storeIndex last log index reflected in the record database (may run ahead of
 *     {@code appliedIndex} while a restarted replica skips entries it already holds)
 * @param snapshotIndex index of the latest local snapshot (-1 if none)
 * @param snapshotsInstalled snapshots this replica received from a leader since it started
 */
public record ReplicaStatus(long appliedIndex, long storeIndex, long snapshotIndex,
    int snapshotsInstalled) {
  private static final int VERSION = 1;

  public byte[] toBytes() {
    return new WireWriter().u8(VERSION).u64(appliedIndex).u64(storeIndex).u64(snapshotIndex)
        .u32(snapshotsInstalled).toBytes();
  }

  public static ReplicaStatus parse(byte[] data) throws MalformedMessageException {
    WireReader r = new WireReader("replica status", data);
    r.version(VERSION);
    ReplicaStatus s = new ReplicaStatus(r.u64("applied index"), r.u64("store index"),
        r.u64("snapshot index"), r.u32("snapshots installed", 0, Integer.MAX_VALUE));
    r.end();
    return s;
  }
}
