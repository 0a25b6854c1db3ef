package dev.bkv.node.raft;

import dev.bkv.crypto.Sha256;
import dev.bkv.node.store.UserId;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.protocol.RaftPeerId;

/**
 * Maps users to shards (Raft groups): the first 8 bytes of SHA-256(user id), read as an unsigned
 * big-endian integer, modulo the shard count. Group ids are derived from the shard index and
 * count, so changing the count makes a new, empty set of groups (resharding is not supported).
 */
public final class Shards {
  private final List<RaftGroup> groups;

  public Shards(int count, List<Peer> peers) {
    if (count < 1 || count > NodeConfig.MAX_SHARDS) {
      throw new IllegalArgumentException("shard count is " + count + "; expected 1.."
          + NodeConfig.MAX_SHARDS);
    }
    List<RaftPeer> raftPeers = peers.stream().map(Shards::raftPeer).toList();
    this.groups = IntStream.range(0, count)
        .mapToObj(i -> RaftGroup.valueOf(groupId(i, count), raftPeers)).toList();
  }

  public int count() {
    return groups.size();
  }

  public List<RaftGroup> groups() {
    return groups;
  }

  public RaftGroup group(int shard) {
    return groups.get(shard);
  }

  /** The shard index of {@code user} for {@code count} shards. */
  public static int shardOf(UserId user, int count) {
    byte[] h = Sha256.hash(user.bytes());
    return (int) Long.remainderUnsigned(ByteBuffer.wrap(h, 0, 8).getLong(), count);
  }

  public int shardOf(UserId user) {
    return shardOf(user, groups.size());
  }

  public static RaftGroupId groupId(int shard, int count) {
    String name = "bkv/vault-node/shard/" + shard + "/of/" + count;
    return RaftGroupId.valueOf(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)));
  }

  static RaftPeer raftPeer(Peer p) {
    return RaftPeer.newBuilder().setId(RaftPeerId.valueOf(p.id())).setAddress(p.address())
        .build();
  }
}
