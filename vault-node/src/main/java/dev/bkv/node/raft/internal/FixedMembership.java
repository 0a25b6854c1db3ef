package dev.bkv.node.raft.internal;

import java.util.EnumSet;
import java.util.Set;
import org.apache.ratis.grpc.server.GrpcServices;
import org.apache.ratis.thirdparty.io.grpc.Metadata;
import org.apache.ratis.thirdparty.io.grpc.ServerCall;
import org.apache.ratis.thirdparty.io.grpc.ServerCallHandler;
import org.apache.ratis.thirdparty.io.grpc.ServerInterceptor;
import org.apache.ratis.thirdparty.io.grpc.Status;
import org.apache.ratis.thirdparty.io.grpc.netty.NettyServerBuilder;

/**
 * Refuses, on a member's Raft ports, the admin calls that change who is in a group: {@code
 * setConfiguration} and {@code groupManagement} (add or remove a group). Membership is what the
 * pinned member roster says; it changes by an operator writing a new roster from the evidence
 * and restarting members, never by a Raft request, not even one from a member's credential.
 * The member adds its own groups through the in-process server API, which this does not touch.
 */
public final class FixedMembership implements ServerInterceptor, GrpcServices.Customizer {
  static final Set<String> REFUSED = Set.of(
      "ratis.grpc.AdminProtocolService/setConfiguration",
      "ratis.grpc.AdminProtocolService/groupManagement");

  @Override
  public NettyServerBuilder customize(NettyServerBuilder builder,
      EnumSet<GrpcServices.Type> types) {
    return builder.intercept(this);
  }

  @Override
  public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
      ServerCallHandler<Q, A> next) {
    String method = call.getMethodDescriptor().getFullMethodName();
    if (REFUSED.contains(method)) {
      call.close(Status.PERMISSION_DENIED.withDescription(method + " is refused: the fleet's "
          + "membership is fixed by the member roster (node.raft.roster)"), new Metadata());
      return new ServerCall.Listener<>() {};
    }
    return next.startCall(call, headers);
  }
}
