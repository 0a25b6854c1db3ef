package dev.bkv.node.raft.internal;

import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ratis.grpc.server.GrpcServices;
import org.apache.ratis.proto.RaftProtos.RaftRpcRequestProto;
import org.apache.ratis.proto.RaftProtos.RequestVoteRequestProto;
import org.apache.ratis.proto.RaftProtos.StartLeaderElectionRequestProto;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.thirdparty.io.grpc.ForwardingServerCallListener;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallHandler;
import org.apache.ratis.thirdparty.io.grpc.ServerInterceptor;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.apache.ratis.thirdparty.io.grpc.netty.NettyServerBuilder;

/**
 * Keeps a member from voting in the groups it is rejoining: on its Raft port, a vote request
 * (pre-vote or election) or a request to start an election in such a group is answered {@code
 * UNAVAILABLE} before Ratis sees it, which a candidate counts as no vote. Every other call
 * (append entries, snapshots, reads) passes, so the member still receives the log.
 *
 * <p>A member that lost its storage must not vote until it holds what it acknowledged before:
 * with an empty log it would grant its vote to any candidate, including one that lacks entries
 * the fleet committed with this member's lost acknowledgement.
 */
public final class VoteGuard implements ServerInterceptor {
  static final String REQUEST_VOTE = "ratis.grpc.RaftServerProtocolService/requestVote";
  static final String START_ELECTION =
      "ratis.grpc.RaftServerProtocolService/startLeaderElection";

  private static final System.Logger LOG = System.getLogger(VoteGuard.class.getName());
  private final Set<RaftGroupId> guarded = ConcurrentHashMap.newKeySet();
  private final AtomicLong refusals = new AtomicLong();

  /** Refuses votes in {@code group} from now on. */
  public void guard(RaftGroupId group) {
    guarded.add(group);
  }

  /** Votes in {@code group} again. */
  public void release(RaftGroupId group) {
    guarded.remove(group);
  }

  public boolean isGuarded(RaftGroupId group) {
    return guarded.contains(group);
  }

  /** This guard, and then {@code next} (may be null), on a Raft server's gRPC services. */
  public GrpcServices.Customizer customizer(ServerInterceptor next) {
    return (NettyServerBuilder builder, EnumSet<GrpcServices.Type> types) -> {
      NettyServerBuilder b = builder.intercept(this);
      return next == null ? b : b.intercept(next);
    };
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    ServerCall.Listener<Q> listener = next.startCall(call, headers);
    if (!method.equals(REQUEST_VOTE) && !method.equals(START_ELECTION)) {
      return listener;
    }
    return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
      private boolean refused;

      @Override
      public void onMessage(Q message) {
        RaftGroupId group = groupOf(message);
        if (group != null && guarded.contains(group)) {
          refused = true;
          long n = refusals.incrementAndGet();
          if (n == 1 || n % 20 == 0) {
            LOG.log(System.Logger.Level.WARNING, "refused {0} vote or election requests while "
                + "rejoining (the latest from {1} in group {2})", n, requester(message), group);
          }
          call.close(Status.UNAVAILABLE.withDescription("this member is rejoining group "
              + group + " after losing its storage; it does not vote until it has caught up"),
              new Metadata());
          return;
        }
        super.onMessage(message);
      }

      @Override
      public void onHalfClose() {
        if (!refused) {
          super.onHalfClose();
        }
      }
    };
  }

  private static String requester(Object message) {
    RaftRpcRequestProto r = message instanceof RequestVoteRequestProto v ? v.getServerRequest()
        : ((StartLeaderElectionRequestProto) message).getServerRequest();
    return r.getRequestorId().toStringUtf8();
  }

  private static RaftGroupId groupOf(Object message) {
    RaftRpcRequestProto r;
    if (message instanceof RequestVoteRequestProto v) {
      r = v.getServerRequest();
    } else if (message instanceof StartLeaderElectionRequestProto s) {
      r = s.getServerRequest();
    } else {
      return null;
    }
    return RaftGroupId.valueOf(r.getRaftGroupId().getId());
  }
}
