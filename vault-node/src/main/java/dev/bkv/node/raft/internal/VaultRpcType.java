package dev.bkv.node.raft.internal;

import org.apache.ratis.conf.Parameters;
import org.apache.ratis.grpc.GrpcFactory;
import org.apache.ratis.rpc.RpcFactory;
import org.apache.ratis.rpc.RpcType;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.leader.FollowerInfo;
import org.apache.ratis.server.leader.LeaderState;
import org.apache.ratis.server.leader.LogAppender;

/**
 * A member server's Ratis transport: Ratis' gRPC transport unchanged, except that leaders
 * replicate with {@link LostLogAppender}. Ratis finds it by class name ({@code raft.rpc.type}),
 * so it needs a public no-argument constructor.
 */
public final class VaultRpcType implements RpcType {
  @Override
  public String name() {
    return VaultRpcType.class.getName();
  }

  @Override
  public RpcFactory newFactory(Parameters parameters) {
    return new GrpcFactory(parameters) {
      @Override
      public LogAppender newLogAppender(RaftServer.Division server, LeaderState state,
          FollowerInfo f) {
        return new LostLogAppender(server, state, f);
      }
    };
  }
}
